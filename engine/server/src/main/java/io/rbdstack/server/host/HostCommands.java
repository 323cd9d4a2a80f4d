package io.rbdstack.server.host;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.agent.AgentConnections;
import io.rbdstack.server.agent.AgentException;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.PageParams;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.auth.crypto.SecretCipher;
import io.rbdstack.server.ca.HostCertificateRepository;
import io.rbdstack.server.infra.ClusterRepository;
import io.rbdstack.server.infra.HypervisorType;
import io.rbdstack.server.infra.Infrastructure;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.ReadyAnswer;
import io.rbdstack.spi.agent.ReadyCommand;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/** addHost, listHosts, reconnectHost and deleteHost. */
public final class HostCommands {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private HostCommands() {
    }

    /** What the host commands need. */
    public record Deps(Infrastructure infra, HostRepository hosts, AgentConnections agents,
                       HostCertificateRepository certificates, String caFingerprint) {
    }

    public static void register(CommandRegistry registry, Deps deps) {
        registry.register(AddHost.class, deps);
        registry.register(ListHosts.class, deps.hosts());
        registry.register(ReconnectHost.class, deps);
        registry.register(DeleteHost.class, deps);
    }

    /**
     * addHost. rbdstack does not SSH into hosts: it issues the one-time credential the host's agent
     * buys its certificate with ({@code agenttoken}, in agent.properties), shown once here and stored
     * only as a hash, and shows the CA's fingerprint ({@code cafingerprint}) the agent checks the
     * management server against at that first connection.
     * {@code username}/{@code password} are accepted for CloudStack clients and not used.
     */
    @Command(name = "addHost", description = "Adds a new host; returns the credential its agent must present"
            + " (agenttoken), shown only once.", access = Access.ADMIN, response = "host", event = "HOST.CREATE")
    record AddHost(
            @Param(description = "the Zone ID for the host", entity = Entity.ZONE) String zoneId,
            @Param(description = "the Pod ID for the host", entity = Entity.POD) String podId,
            @Param(description = "the cluster ID for the host", entity = Entity.CLUSTER) String clusterId,
            @Param(description = "the host URL, e.g. http://kvm1.example.com", column = "host.url") String url,
            @Param(description = "hypervisor type of the host") HypervisorType hypervisor,
            @Param(description = "accepted for compatibility; not used") Optional<String> username,
            @Param(description = "accepted for compatibility; not used") Optional<String> password)
            implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            ClusterRepository.ClusterRef cluster = deps.infra().clusters().ref(clusterId).orElseThrow(() ->
                    ApiException.invalidParameter("Unable to find cluster by id " + clusterId + " (parameter clusterid)"));
            if (deps.infra().zones().idOf(zoneId).filter(id -> id == cluster.zoneId()).isEmpty()) {
                throw ApiException.invalidParameter("Cluster " + clusterId + " is not in zone " + zoneId
                        + " (parameter zoneid)");
            }
            if (deps.infra().pods().ref(podId).filter(pod -> pod.id() == cluster.podId()).isEmpty()) {
                throw ApiException.invalidParameter("Cluster " + clusterId + " is not in pod " + podId
                        + " (parameter podid)");
            }
            String name = hostName(url);
            HostRepository hosts = deps.hosts();
            if (hosts.nameTaken(cluster.id(), name)) {
                throw ApiException.invalidParameter("Host " + name + " is already in cluster " + clusterId);
            }
            String token = SecretCipher.newToken();
            String uuid = hosts.create(name, url, cluster.zoneId(), cluster.podId(), cluster.id(), SecretCipher.sha256Hex(token));
            ObjectNode host = ApiJson.MAPPER.valueToTree(hosts.find(uuid).orElseThrow());
            host.put("agenttoken", token);
            host.put("cafingerprint", deps.caFingerprint());
            ObjectNode body = ApiJson.MAPPER.createObjectNode();
            body.put("count", 1);
            body.putArray("host").add(host);
            return body;
        }

        private static String hostName(String url) {
            try {
                String host = URI.create(url.contains("://") ? url : "http://" + url).getHost();
                if (host == null || host.isBlank()) {
                    throw new IllegalArgumentException("no host");
                }
                return host;
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidParameter("Invalid value '" + url + "' for parameter url: expected http://<host name or address>");
            }
        }
    }

    @Command(name = "listHosts", description = "Lists hosts.", access = Access.ADMIN, response = "host")
    record ListHosts(@Param(description = "the id of the host", entity = Entity.HOST) Optional<String> id,
                     @Param(description = "the Zone ID for the host", entity = Entity.ZONE) Optional<String> zoneId,
                     @Param(description = "lists hosts existing in particular cluster", entity = Entity.CLUSTER)
                     Optional<String> clusterId,
                     @Param(description = "the state of the host: Up, Alert, Disconnected, Connecting (other"
                             + " CloudStack states match no host)", length = 32) Optional<String> state,
                     @Param(description = "List by keyword") Optional<String> keyword,
                     PageParams page) implements SyncCommand<HostRepository> {

        @Override
        public ObjectNode execute(Caller caller, HostRepository hosts) {
            HostRepository.HostFilter filter = new HostRepository.HostFilter(id, zoneId, clusterId,
                    state, keyword);
            return ApiJson.list("host", hosts.list(filter, page.sql()), hosts.count(filter));
        }
    }

    /**
     * deleteHost: removes the host, revokes its certificates (its agent is refused from the next
     * handshake on) and closes its connection. Refused (536) while the host holds something only it
     * can serve: virtual machines, or a storage pool no other Up host has defined (unless forced).
     */
    @Command(name = "deleteHost", description = "Deletes a host.", access = Access.ADMIN, response = "success",
            event = "HOST.DELETE")
    record DeleteHost(@Param(description = "the host ID", entity = Entity.HOST) String id,
                      @Param(description = "Force delete the host even when it is the only Up host of a storage pool")
                      Optional<Boolean> forced,
                      @Param(description = "accepted for compatibility; rbdstack hosts have no local storage")
                      Optional<Boolean> forceDestroyLocalStorage) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            HostRepository hosts = deps.hosts();
            HostRepository.HostView host = hosts.find(id).orElseThrow(() ->
                    ApiException.invalidParameter("Unable to find host by id " + id + " (parameter id)"));
            long vms = hosts.vmsOn(id);
            if (vms > 0) {
                throw ApiException.inUse("Cannot delete host " + host.name() + ": " + vms
                        + " virtual machine(s) are placed on it; stop or migrate them first");
            }
            java.util.List<String> pools = hosts.poolsOnlyServedBy(id);
            if (!pools.isEmpty() && !forced.orElse(false)) {
                throw ApiException.inUse("Cannot delete host " + host.name() + ": it is the only Up host of storage"
                        + " pool(s) " + pools + "; add another host first, or delete with forced=true");
            }
            // Revoke before the row goes: a handshake between the two steps must already be refused.
            int revoked = deps.certificates().revokeAll(id, "host deleted");
            hosts.remove(id);
            deps.agents().disconnect(id, "host deleted");
            org.slf4j.LoggerFactory.getLogger(HostCommands.class).info(
                    "Deleted host {} ({}); revoked {} certificate(s)", id, host.name(), revoked);
            return ApiJson.success();
        }
    }

    /** reconnectHost: asks the agent to report readiness and refreshes what the host row knows. */
    @Command(name = "reconnectHost", description = "Reconnects a host.", access = Access.ADMIN, response = "host",
            event = "HOST.RECONNECT")
    record ReconnectHost(@Param(description = "the host ID", entity = Entity.HOST) String id)
            implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            HostRepository hosts = deps.hosts();
            hosts.find(id).orElseThrow(() -> ApiException.invalidParameter("Unable to find host by id " + id
                    + " (parameter id)"));
            return new AsyncStart("Host", id, progress -> {
                Answer answer = ask(deps.agents(), id);
                progress.report(50);
                if (!answer.success()) {
                    throw ApiException.unavailable("Host " + id + " is not ready: " + answer.details());
                }
                if (answer instanceof ReadyAnswer ready && ready.hostInfo() != null) {
                    hosts.hostInfo(id, ready.hostInfo());
                }
                return ApiJson.object("host", hosts.find(id).orElseThrow());
            });
        }

        private static Answer ask(AgentConnections agents, String uuid) throws InterruptedException {
            try {
                return agents.send(uuid, new ReadyCommand(), READY_TIMEOUT).get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof AgentException) {
                    throw ApiException.unavailable("Cannot reach host " + uuid + ": " + cause.getMessage());
                }
                throw ApiException.internal("reconnectHost failed for host " + uuid, cause);
            }
        }
    }
}
