package io.rbdstack.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringWriter;
import java.util.Iterator;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * {@code response=json} or CloudStack's default XML, with the content types clients check. XML is
 * well-formed whatever the values hold: characters XML 1.0 cannot carry become U+FFFD ({@link XmlText}).
 */
public enum ResponseFormat {
    JSON("application/json; charset=UTF-8"),
    XML("text/xml; charset=UTF-8");

    private static final XMLOutputFactory XML_OUTPUT = XMLOutputFactory.newFactory();

    private final String contentType;

    ResponseFormat(String contentType) {
        this.contentType = contentType;
    }

    public static ResponseFormat fromParameter(String response) {
        return "json".equalsIgnoreCase(response) ? JSON : XML;
    }

    public String contentType() {
        return contentType;
    }

    /** Wraps {@code body} in its {@code <responseName>} envelope. */
    public String render(String responseName, ObjectNode body) {
        return this == JSON ? json(responseName, body) : xml(responseName, body);
    }

    private static String json(String responseName, ObjectNode body) {
        ObjectNode envelope = ApiJson.MAPPER.createObjectNode();
        envelope.set(responseName, body);
        try {
            return ApiJson.MAPPER.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot render a JSON tree", e);
        }
    }

    private static String xml(String responseName, ObjectNode body) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter w = XML_OUTPUT.createXMLStreamWriter(out);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeStartElement(responseName);
            w.writeAttribute("cloud-stack-version", ApiVersion.CLOUDSTACK_VERSION);
            writeFields(w, body);
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Cannot render XML", e);
        }
        return out.toString();
    }

    private static void writeFields(XMLStreamWriter w, JsonNode object) throws XMLStreamException {
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isArray()) {
                // A list is its items repeated under the list's name, as CloudStack's XML does.
                for (JsonNode item : field.getValue()) {
                    writeElement(w, field.getKey(), item);
                }
            } else {
                writeElement(w, field.getKey(), field.getValue());
            }
        }
    }

    private static void writeElement(XMLStreamWriter w, String name, JsonNode value) throws XMLStreamException {
        w.writeStartElement(XmlText.elementName(name));
        if (value.isObject()) {
            writeFields(w, value);
        } else {
            writeText(w, XmlText.sanitize(value.asText()));
        }
        w.writeEndElement();
    }

    /**
     * The writer escapes {@code <}, {@code >} and {@code &} but leaves CR as it is, which a parser
     * would read back as LF; a character reference keeps it.
     */
    private static void writeText(XMLStreamWriter w, String text) throws XMLStreamException {
        int start = 0;
        for (int cr = text.indexOf('\r'); cr >= 0; cr = text.indexOf('\r', start)) {
            w.writeCharacters(text.substring(start, cr));
            w.writeEntityRef("#13");
            start = cr + 1;
        }
        w.writeCharacters(text.substring(start));
    }
}
