package io.rbdstack.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** response=xml is well-formed whatever a value holds: a real XML parser reads every document back. */
class XmlResponseTest {

    private static final char FFFD = '\uFFFD';

    @Test
    void everyControlCharacterXmlCannotCarryBecomesTheReplacementAndTheRestSurvive() throws Exception {
        for (char c = 0; c < 0x20; c++) {
            String value = "a" + c + "b";
            String expected = c == '\t' || c == '\n' || c == '\r' ? value : "a" + FFFD + "b";
            assertEquals(expected, roundTrip(value), "U+" + Integer.toHexString(c));
        }
    }

    @Test
    void nonCharactersAndLoneSurrogatesBecomeTheReplacementWhilePairsSurvive() throws Exception {
        assertEquals("x" + FFFD + FFFD + "y", roundTrip("x\uFFFE\uFFFFy"));
        assertEquals("lone high " + FFFD + " end", roundTrip("lone high \uD800 end"));
        assertEquals("lone low " + FFFD + " end", roundTrip("lone low \uDC00 end"));
        assertEquals("at the end " + FFFD, roundTrip("at the end \uD83D"));
        assertEquals("reversed " + FFFD + FFFD, roundTrip("reversed \uDE00\uD83D"));
        assertEquals("pair \uD83D\uDE00 and \u00E9\u4E2D", roundTrip("pair \uD83D\uDE00 and \u00E9\u4E2D"));
        assertEquals("\uFFFD stays", roundTrip("\uFFFD stays"));
    }

    @Test
    void markupCharactersAreEscapedNotInterpreted() throws Exception {
        String nasty = "]]> <![CDATA[ x ]]> </name><name> & &amp; &#1; \" ' <?pi?> <!-- c -->";
        assertEquals(nasty, roundTrip(nasty));
    }

    @Test
    void everyNastyValueAtOnceStillMakesOneParseableDocument() throws Exception {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            all.append(c);
        }
        all.append("\uFFFE\uFFFF\uD800\uDFFF]]><&");
        List<String> values = new ArrayList<>(List.of(all.toString(), "\uDBFF", "", "plain"));
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        body.putArray("item").addAll(values.stream().map(v -> ApiJson.MAPPER.getNodeFactory().textNode(v)).toList());
        Document doc = parse(ResponseFormat.XML.render("listthingsresponse", body));
        assertEquals(4, doc.getDocumentElement().getElementsByTagName("item").getLength());
        assertEquals("plain", doc.getDocumentElement().getElementsByTagName("item").item(3).getTextContent());
    }

    @Test
    void keysThatAreNoXmlNamesBecomeNamesThatAre() throws Exception {
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        body.put("1st key", "a");
        body.put("<odd>&", "b");
        body.put("", "c");
        body.put("ok-name.x_1", "d");
        Element root = parse(ResponseFormat.XML.render("r", body)).getDocumentElement();
        assertEquals("a", root.getElementsByTagName("_1st_key").item(0).getTextContent());
        assertEquals("b", root.getElementsByTagName("_odd__").item(0).getTextContent());
        assertEquals("c", root.getElementsByTagName("_").item(0).getTextContent());
        assertEquals("d", root.getElementsByTagName("ok-name.x_1").item(0).getTextContent());
    }

    /** Renders {@code value} as a field of an XML response, parses the document and returns the field's text. */
    private static String roundTrip(String value) throws Exception {
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        body.put("name", value);
        Document doc = parse(ResponseFormat.XML.render("createzoneresponse", body));
        return doc.getDocumentElement().getElementsByTagName("name").item(0).getTextContent();
    }

    /** Parses the bytes the server would send (UTF-8), as a client would. */
    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }
}
