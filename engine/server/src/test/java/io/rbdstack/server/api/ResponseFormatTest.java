package io.rbdstack.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseFormatTest {

    record Thing(String id, String displayName, Long sizeBytes, String notSet) {
    }

    @Test
    void jsonKeysAreLowerCaseWithoutSeparatorsAndNullsLeftOut() {
        String json = ResponseFormat.JSON.render("listthingsresponse",
                ApiJson.list("thing", List.of(new Thing("1", "a & b", 5L, null)), 1));
        assertEquals("{\"listthingsresponse\":{\"count\":1,\"thing\":[{\"id\":\"1\",\"displayname\":\"a & b\","
                + "\"sizebytes\":5}]}}", json);
    }

    @Test
    void xmlRepeatsListItemsAndEscapes() {
        String xml = ResponseFormat.XML.render("listthingsresponse",
                ApiJson.list("thing", List.of(new Thing("1", "a & b", 5L, null), new Thing("2", "<c>", null, null)), 2));
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><listthingsresponse cloud-stack-version=\""
                + ApiVersion.CLOUDSTACK_VERSION + "\"><count>2</count><thing><id>1</id><displayname>a &amp; b"
                + "</displayname><sizebytes>5</sizebytes></thing><thing><id>2</id><displayname>&lt;c&gt;</displayname>"
                + "</thing></listthingsresponse>", xml);
    }

    @Test
    void anythingButJsonIsXml() {
        assertEquals(ResponseFormat.XML, ResponseFormat.fromParameter(null));
        assertEquals(ResponseFormat.JSON, ResponseFormat.fromParameter("JSON"));
    }
}
