package io.rbdstack.server.host;

import static io.rbdstack.server.api.ApiParam.optional;
import static io.rbdstack.server.api.ApiParam.required;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.agent.AgentConnections;
import io.rbdstack.server.agent.AgentException;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiArgs;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.CommandSpec;
import io.rbdstack.server.api.ParamType;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.auth.crypto.SecretCipher;
import io.rbdstack.server.infra.ClusterRepository;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.ReadyAnswer;
import io.rbdstack.spi.agent.ReadyCommand;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;

/** addHost, listHosts and reconnectHost. */
public final class HostCommands {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private HostCommands() {
    }

    public static void register(CommandRegistry registry, ClusterRepository clusters, HostRepository hosts,
                                AgentConnections agents) {
        registry.register(new AddHost(clusters, hosts)).register(new ListHosts(hosts))
                .register(new ReconnectHost(hosts, agents));
    }

    /**
     * addHost. rbdstack does not SSH into hosts: it issues the credential the host's agent presents
     * ({@code agenttoken}, in agent.properties), shown once here and stored only as a hash.
     * {@code username}/{@code password} are accepted for CloudStack clients and not used.
     */
    static final class AddHost implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("addHost",
                "Adds a new host; returns the credential its agent must present (agenttoken), shown only once.",
                Access.ADMIN, false, "host",
                List.of(required("zoneid", ParamType.UUID, "the Zone ID for the host"),
                        required("podid", ParamType.UUID, "the Pod ID for the host"),
                        required("clusterid", ParamType.UUID, "the cluster ID for the host"),
                        required("url", ParamType.STRING, "the host URL, e.g. http://kvm1.example.com"),
                        required("hypervisor", ParamType.STRING, "hypervisor type of the host: KVM"),
                        optional("username", ParamType.STRING, "accepted for compatibility; not used"),
                        optional("password", ParamType.STRING, "accepted for compatibility; not used")));

        private final ClusterRepository clusters;
        private final HostRepository hosts;

        AddHost(ClusterRepository clusters, HostRepository hosts) {
            this.clusters = clusters;
            this.hosts = hosts;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            if (!args.requireString("hypervisor").equalsIgnoreCase("KVM")) {
                throw ApiException.invalidParameter("Invalid value '" + args.requireString("hypervisor")
                        + "' for parameter hypervisor: rbdstack manages KVM hosts only");
            }
            String clusterUuid = args.requireString("clusterid");
            ClusterRepository.ClusterRef cluster = clusters.ref(clusterUuid).orElseThrow(() ->
                    ApiException.invalidParameter("Unable to find cluster by id " + clusterUuid + " (parameter clusterid)"));
            String url = args.requireString("url");
            String name = hostName(url);
            if (hosts.nameTaken(cluster.id(), name)) {
                throw ApiException.invalidParameter("Host " + name + " is already in cluster " + clusterUuid);
            }
            String token = SecretCipher.newToken();
            String uuid = hosts.create(name, url, cluster.zoneId(), cluster.podId(), cluster.id(), SecretCipher.sha256Hex(token));
            ObjectNode host = ApiJson.MAPPER.valueToTree(hosts.find(uuid).orElseThrow());
            host.put("agenttoken", token);
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

    static final class ListHosts implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("listHosts", "Lists hosts.", Access.ADMIN, false, "host",
                List.of(optional("id", ParamType.UUID, "the id of the host"),
                        optional("zoneid", ParamType.UUID, "the Zone ID for the host"),
                        optional("clusterid", ParamType.UUID, "lists hosts existing in particular cluster"),
                        optional("state", ParamType.STRING, "the state of the host: Up, Alert, Disconnected, Connecting"),
                        optional("keyword", ParamType.STRING, "List by keyword"),
                        optional("page", ParamType.INTEGER, "page number, from 1"),
                        optional("pagesize", ParamType.INTEGER, "page size; -1 for all")));

        private final HostRepository hosts;

        ListHosts(HostRepository hosts) {
            this.hosts = hosts;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            HostRepository.HostFilter filter = new HostRepository.HostFilter(args.uuid("id"), args.uuid("zoneid"),
                    args.uuid("clusterid"), args.string("state"), args.keyword());
            return ApiJson.list("host", hosts.list(filter, args.paging().sql()), hosts.count(filter));
        }
    }

    /** reconnectHost: asks the agent to report readiness and refreshes what the host row knows. */
    static final class ReconnectHost implements AsyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("reconnectHost", "Reconnects a host.", Access.ADMIN, true,
                "host", List.of(required("id", ParamType.UUID, "the host ID")));

        private final HostRepository hosts;
        private final AgentConnections agents;

        ReconnectHost(HostRepository hosts, AgentConnections agents) {
            this.hosts = hosts;
            this.agents = agents;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public AsyncStart start(Caller caller, ApiArgs args) {
            String uuid = args.requireString("id");
            hosts.find(uuid).orElseThrow(() -> ApiException.invalidParameter("Unable to find host by id " + uuid
                    + " (parameter id)"));
            return new AsyncStart("Host", uuid, progress -> {
                Answer answer = ask(uuid);
                progress.report(50);
                if (!answer.success()) {
                    throw ApiException.unavailable("Host " + uuid + " is not ready: " + answer.details());
                }
                if (answer instanceof ReadyAnswer ready && ready.hostInfo() != null) {
                    hosts.hostInfo(uuid, ready.hostInfo());
                }
                return ApiJson.object("host", hosts.find(uuid).orElseThrow());
            });
        }

        private Answer ask(String uuid) throws InterruptedException {
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
