package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * Import a template as image {@code image} with the protected snapshot {@code snapshot}: fetch
 * {@code url} (http(s), or an absolute path on the agent's host inside the directory it allows), at most
 * {@code maxBytes}, check the digest ({@code checksumAlgorithm} / {@code checksumHex}, both null for no
 * check) before anything is written, convert {@code format} (RAW or QCOW2) to raw. Answered with
 * {@link RbdTemplateAnswer}; progress reports count the bytes fetched.
 */
@JsonTypeName("rbd.importTemplate")
public record ImportRbdTemplateCommand(RbdPool pool, String image, String snapshot, String url, String format,
                                       String checksumAlgorithm, String checksumHex, long maxBytes)
        implements AgentCommand {

    /** Downloads and writes the whole template. */
    @Override
    public boolean transfer() {
        return true;
    }
}
