package io.rbdstack.server.snapshot.policy;

import io.rbdstack.server.tag.TagView;
import java.util.List;

/**
 * A policy as CloudStack's SnapshotPolicyResponse shows it: {@code intervaltype} is the interval's
 * number (0 HOURLY, 1 DAILY, 2 WEEKLY, 3 MONTHLY), {@code fordisplay} is shown to root admins only.
 */
public record SnapshotPolicyView(String id, String volumeid, String schedule, int intervaltype, int maxsnaps,
                                 String timezone, Boolean fordisplay, List<TagView> tags) {
}
