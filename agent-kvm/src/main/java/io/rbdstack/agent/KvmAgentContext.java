package io.rbdstack.agent;

import io.rbdstack.spi.agent.HostInfo;
import io.rbdstack.spi.agent.handler.AgentContext;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the KVM agent offers its handler factories; {@link Agent} says which services. */
public final class KvmAgentContext implements AgentContext {

    private static final Logger LOG = LoggerFactory.getLogger(KvmAgentContext.class);

    private final String hostname;
    private final Supplier<HostInfo> hostInfo;
    private final Map<Class<?>, Object> services;
    private final List<Runnable> onConnected = new CopyOnWriteArrayList<>();

    /** @param services each keyed by the type handlers ask for */
    public KvmAgentContext(String hostname, Supplier<HostInfo> hostInfo, Map<Class<?>, Object> services) {
        this.hostname = Objects.requireNonNull(hostname, "hostname");
        this.hostInfo = Objects.requireNonNull(hostInfo, "hostInfo");
        services.forEach((type, service) -> {
            if (!type.isInstance(service)) {
                throw new IllegalArgumentException(service.getClass().getName() + " is no " + type.getName());
            }
        });
        this.services = Map.copyOf(services);
    }

    @Override
    public String hostname() {
        return hostname;
    }

    @Override
    public HostInfo hostInfo() {
        return hostInfo.get();
    }

    @Override
    public <T> T service(Class<T> type) {
        Object service = services.get(type);
        if (service == null) {
            throw new IllegalStateException("the KVM agent offers no " + type.getName() + "; it offers "
                    + services.keySet().stream().map(Class::getSimpleName).sorted().toList());
        }
        return type.cast(service);
    }

    @Override
    public void onConnected(Runnable action) {
        onConnected.add(Objects.requireNonNull(action, "action"));
    }

    /** Runs every action registered with {@link #onConnected}; one that fails does not stop the others. */
    void connected() {
        for (Runnable action : onConnected) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.error("An action after connecting failed", e);
            }
        }
    }
}
