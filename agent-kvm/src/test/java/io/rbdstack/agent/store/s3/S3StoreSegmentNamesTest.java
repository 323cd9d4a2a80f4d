package io.rbdstack.agent.store.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class S3StoreSegmentNamesTest {

    @Test
    void aSegmentBelongsToTheFileItsNameContinuesAndNothingElseIsASegment() {
        assertEquals("a.rbddiff", S3Store.segmentOf("a.rbddiff.segment-1"));
        assertEquals("a.rbddiff", S3Store.segmentOf("a.rbddiff.segment-12"));
        assertEquals("a.rbddiff", S3Store.segmentOf("a.rbddiff"));
        assertEquals("a.rbddiff.segment-0", S3Store.segmentOf("a.rbddiff.segment-0"), "segments count from 1");
        assertEquals("a.rbddiff.segment-x", S3Store.segmentOf("a.rbddiff.segment-x"));
        assertEquals("a.rbddiff.segment-", S3Store.segmentOf("a.rbddiff.segment-"));
        assertEquals(".segment-1", S3Store.segmentOf(".segment-1"), "a name of its own");
    }
}
