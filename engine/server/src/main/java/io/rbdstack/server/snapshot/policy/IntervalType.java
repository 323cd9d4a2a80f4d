package io.rbdstack.server.snapshot.policy;

/**
 * CloudStack's snapshot policy intervals. The API shows a policy's interval as the ordinal
 * (SnapshotPolicyResponse's {@code intervaltype} is a number: 0 hourly … 3 monthly); a snapshot a
 * policy took has the interval's name as its {@code snapshottype} and {@code intervaltype}.
 */
public enum IntervalType {
    HOURLY, DAILY, WEEKLY, MONTHLY
}
