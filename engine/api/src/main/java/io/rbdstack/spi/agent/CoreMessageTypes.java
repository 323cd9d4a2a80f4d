package io.rbdstack.spi.agent;

import io.rbdstack.spi.agent.tls.CertificateSigningAnswer;
import io.rbdstack.spi.agent.tls.InstallCertificateCommand;
import io.rbdstack.spi.agent.tls.RenewCertificateCommand;
import java.util.List;

/** The commands and answers every agent speaks, contributed like any module's. */
public final class CoreMessageTypes implements AgentMessageTypes {

    @Override
    public List<Class<? extends AgentCommand>> commands() {
        return List.of(ReadyCommand.class, EchoCommand.class, RenewCertificateCommand.class,
                InstallCertificateCommand.class);
    }

    @Override
    public List<Class<? extends Answer>> answers() {
        return List.of(GenericAnswer.class, ReadyAnswer.class, EchoAnswer.class, CertificateSigningAnswer.class,
                StoppingAnswer.class);
    }
}
