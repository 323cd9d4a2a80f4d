package io.rbdstack.server.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rbdstack.server.api.ApiErrorCode;
import io.rbdstack.server.api.ApiException;
import org.junit.jupiter.api.Test;

class VolumeSizeTest {

    @Test
    void aGbIsAGibibyteAsInCloudStack() {
        assertEquals(1_073_741_824L, VolumeSize.bytes(1, "size"));
        assertEquals(5L * 1024 * 1024 * 1024, VolumeSize.bytes(5, "size"));
        assertEquals(0, VolumeSize.bytes(0, "size"));
        assertEquals(2000L << 30, VolumeSize.bytes(2000, "disksize"));
    }

    @Test
    void wholeGbRoundsDown() {
        assertEquals(3, VolumeSize.wholeGb(3L << 30));
        assertEquals(2, VolumeSize.wholeGb((3L << 30) - 1));
        assertEquals(0, VolumeSize.wholeGb(0));
    }

    @Test
    void aSizeTooLargeForBytesIs431NamingTheParameter() {
        ApiException e = assertThrows(ApiException.class, () -> VolumeSize.bytes(Long.MAX_VALUE / 1000, "size"));
        assertEquals(ApiErrorCode.PARAM_ERROR, e.errorCode());
        assertEquals("Invalid value 9223372036854775 for parameter size: too large a size in GB", e.getMessage());
        assertEquals(8_589_934_591L << 30, VolumeSize.bytes(8_589_934_591L, "size"), "the largest that fits");
        assertThrows(ApiException.class, () -> VolumeSize.bytes(8_589_934_592L, "size"));
    }

    @Test
    void describeShowsGbAndBytes() {
        assertEquals("2 GB (2147483648 bytes)", VolumeSize.describe(2L << 30));
        assertEquals("0 GB (0 bytes)", VolumeSize.describe(0));
        assertEquals("1500 bytes", VolumeSize.describe(1500));
    }

    @Test
    void customSizesStayWithinTheConfiguredRange() {
        assertEquals(1L << 30, VolumeSize.custom(1, 1, 1024, "size"));
        assertEquals(1024L << 30, VolumeSize.custom(1024, 1, 1024, "size"));
        ApiException small = assertThrows(ApiException.class, () -> VolumeSize.custom(0, 1, 1024, "size"));
        assertEquals(ApiErrorCode.PARAM_ERROR, small.errorCode());
        assertEquals("Volume size: 0GB is out of allowed range. Max: 1024 Min:1 (parameter size)", small.getMessage());
        assertThrows(ApiException.class, () -> VolumeSize.custom(1025, 1, 1024, "size"));
        assertThrows(ApiException.class, () -> VolumeSize.custom(-3, 1, 1024, "size"));
    }
}
