package io.rbdstack.server;

import com.zaxxer.hikari.HikariDataSource;
import io.rbdstack.dbupgrade.DbUpgrader;
import io.rbdstack.dbupgrade.UpgradeResult;
import io.rbdstack.protocol.MessageCodec;
import io.rbdstack.server.account.AccountDeletion;
import io.rbdstack.server.account.AccountLifecycleCommands;
import io.rbdstack.server.account.AccountRepository;
import io.rbdstack.server.account.AccountViews;
import io.rbdstack.server.account.DomainCommands;
import io.rbdstack.server.account.DomainRepository;
import io.rbdstack.server.api.ApiDispatcher;
import io.rbdstack.server.api.ApiHttpHandler;
import io.rbdstack.server.api.ApiHttpServer;
import io.rbdstack.server.api.ApiVersion;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.CommandSpec;
import io.rbdstack.server.api.DiscoveryCommands;
import io.rbdstack.server.api.ParamBinder;
import io.rbdstack.server.auth.AccountCommands;
import io.rbdstack.server.auth.AdminBootstrap;
import io.rbdstack.server.auth.LoginService;
import io.rbdstack.server.auth.LoginThrottle;
import io.rbdstack.server.auth.RequestAuthenticator;
import io.rbdstack.server.auth.SessionStore;
import io.rbdstack.server.auth.UserRepository;
import io.rbdstack.server.auth.crypto.PasswordHasher;
import io.rbdstack.server.auth.crypto.SecretCipher;
import io.rbdstack.server.alert.AlertCommands;
import io.rbdstack.server.alert.AlertRepository;
import io.rbdstack.server.alert.Alerts;
import io.rbdstack.server.cluster.ClusterLease;
import io.rbdstack.server.cluster.LeasedScheduler;
import io.rbdstack.server.snapshot.verify.BackupVerification;
import io.rbdstack.server.snapshot.verify.BackupVerificationCommands;
import io.rbdstack.server.snapshot.verify.BackupVerificationRepository;
import io.rbdstack.server.capacity.CapacityCommands;
import io.rbdstack.server.cluster.ManagementServerCommands;
import io.rbdstack.server.cluster.ManagementServerRegistry;
import io.rbdstack.server.agent.AgentConnections;
import io.rbdstack.server.agent.HostTransferQueues;
import io.rbdstack.server.agent.AgentListener;
import io.rbdstack.server.agent.ListenerConfig;
import io.rbdstack.protocol.tls.Fingerprints;
import io.rbdstack.server.ca.CertificateAuthority;
import io.rbdstack.server.ca.CertificateAuthorityRepository;
import io.rbdstack.server.ca.HostCertificateRepository;
import io.rbdstack.server.ca.ManagementServerIdentity;
import io.rbdstack.server.config.HttpsKeystore;
import io.rbdstack.server.host.CertificateCommands;
import io.rbdstack.server.host.HostCertificateIssuer;
import io.rbdstack.server.config.DbProperties;
import io.rbdstack.server.config.ServerConfig;
import io.rbdstack.server.db.ConnectionPools;
import io.rbdstack.server.db.EntityRows;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.db.OwnerRows;
import io.rbdstack.server.db.embedded.EmbeddedMariaDb;
import io.rbdstack.server.event.ActionEvents;
import io.rbdstack.server.event.EventCommands;
import io.rbdstack.server.event.EventRepository;
import io.rbdstack.server.host.HostAgentEvents;
import io.rbdstack.server.host.HostAdminCommands;
import io.rbdstack.server.host.HostCommands;
import io.rbdstack.server.host.HostMaintenance;
import io.rbdstack.server.host.HostRepository;
import io.rbdstack.server.infra.ClusterCommands;
import io.rbdstack.server.infra.ClusterRepository;
import io.rbdstack.server.infra.Infrastructure;
import io.rbdstack.server.infra.PodCommands;
import io.rbdstack.server.infra.PodRepository;
import io.rbdstack.server.infra.ZoneCommands;
import io.rbdstack.server.infra.ZoneRepository;
import io.rbdstack.server.job.AsyncJobManager;
import io.rbdstack.server.job.JobCommands;
import io.rbdstack.server.job.JobRepository;
import io.rbdstack.server.limit.LimitCheck;
import io.rbdstack.server.limit.Limits;
import io.rbdstack.server.limit.ResourceLimitCommands;
import io.rbdstack.server.limit.ResourceLimitEnforcer;
import io.rbdstack.server.limit.ResourceSummaries;
import io.rbdstack.server.limit.ResourceUsage;
import io.rbdstack.server.network.DbGuestNics;
import io.rbdstack.server.network.GuestIpv6PrefixCommands;
import io.rbdstack.server.network.GuestIpv6PrefixRepository;
import io.rbdstack.server.network.Dhcpv6Networks;
import io.rbdstack.server.network.GuestNics;
import io.rbdstack.server.network.NetworkCommands;
import io.rbdstack.server.network.NetworkOfferingCommands;
import io.rbdstack.server.network.NetworkOfferingRepository;
import io.rbdstack.server.network.NetworkRepository;
import io.rbdstack.server.offering.DiskOfferingCommands;
import io.rbdstack.server.offering.DiskOfferingRepository;
import io.rbdstack.server.offering.ServiceOfferingCommands;
import io.rbdstack.server.offering.ServiceOfferingRepository;
import io.rbdstack.server.plugin.PluginJars;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsCommands;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.server.imagestore.ImageStoreCapacity;
import io.rbdstack.server.imagestore.ImageStoreCommands;
import io.rbdstack.server.imagestore.ImageStoreRepository;
import io.rbdstack.server.snapshot.BackupAttemptLeftovers;
import io.rbdstack.server.snapshot.SnapshotBackups;
import io.rbdstack.server.snapshot.SnapshotCommands;
import io.rbdstack.server.snapshot.SnapshotRecovery;
import io.rbdstack.server.snapshot.SnapshotRepository;
import io.rbdstack.server.snapshot.SnapshotRetention;
import io.rbdstack.server.snapshot.SnapshotService;
import io.rbdstack.server.snapshot.SnapshotTaker;
import io.rbdstack.server.snapshot.policy.PolicyRunner;
import io.rbdstack.server.snapshot.policy.PolicySlots;
import io.rbdstack.server.snapshot.policy.SnapshotPolicyCommands;
import io.rbdstack.server.snapshot.policy.SnapshotPolicyRepository;
import io.rbdstack.server.snapshot.policy.SnapshotScheduler;
import io.rbdstack.server.storage.EngineHostGateway;
import io.rbdstack.server.tag.TagCommands;
import io.rbdstack.server.tag.TagRepository;
import io.rbdstack.server.storage.ProviderOptionSettings;
import io.rbdstack.server.storage.StoragePoolCommands;
import io.rbdstack.server.storage.StoragePoolRepository;
import io.rbdstack.server.storage.StoragePoolService;
import io.rbdstack.server.storage.StorageProviders;
import io.rbdstack.server.retention.RetentionPurges;
import io.rbdstack.server.volume.DeferredDeletePurge;
import io.rbdstack.server.volume.ExpungingVolumes;
import io.rbdstack.server.volume.PoolHealth;
import io.rbdstack.server.volume.StorageCleanup;
import io.rbdstack.server.volume.CloneFlattening;
import io.rbdstack.server.volume.VolumeCommands;
import io.rbdstack.server.template.TemplateCommands;
import io.rbdstack.server.template.TemplateImport;
import io.rbdstack.server.template.TemplateRepository;
import io.rbdstack.server.volume.VolumeRecovery;
import io.rbdstack.server.volume.VolumeRepository;
import io.rbdstack.server.volume.VolumeService;
import io.rbdstack.server.network.GuestNics;
import io.rbdstack.server.vm.GuestQuiesce;
import io.rbdstack.server.vm.Vms;
import io.rbdstack.spi.Secret;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: opens the database (or the embedded one), upgrades the schema, wires the
 * services and starts the API and agent listeners. {@link #close()} drains and stops them in
 * reverse order.
 */
public final class ManagementServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);

    private final Deque<AutoCloseable> resources;
    private final ServerConnector http;
    private final ServerConnector https;
    private final String caFingerprint;
    private final int agentPort;
    private final AgentConnections agents;
    private final long msid;
    private final List<CommandSpec> commands;
    private final LeasedScheduler background;

    private ManagementServer(Deque<AutoCloseable> resources, ServerConnector http, ServerConnector https,
                             String caFingerprint, AgentListener agents, AgentConnections agentConnections, long msid,
                             List<CommandSpec> commands, LeasedScheduler background) {
        this.resources = resources;
        this.http = http;
        this.https = https;
        this.caFingerprint = caFingerprint;
        this.agentPort = agents.port();
        this.agents = agentConnections;
        this.msid = msid;
        this.commands = commands;
        this.background = background;
    }

    public static ManagementServer start(ServerConfig config, PrintStream console) throws Exception {
        long t0 = System.nanoTime();
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            DbProperties db = database(config, resources);
            HikariDataSource pool = ConnectionPools.open(db);
            resources.push(pool);
            UpgradeResult upgrade = new DbUpgrader(pool).upgrade();
            LOG.info("Schema at version {} (applied {}, waited {} ms for the upgrade lock)", upgrade.toVersion(),
                    upgrade.applied(), upgrade.waitedForLock().toMillis());

            Jdbc jdbc = new Jdbc(pool);
            SecretCipher cipher = new SecretCipher(db.encryptSecret().reveal());
            PasswordHasher hasher = new PasswordHasher();
            UserRepository users = new UserRepository(jdbc);
            SettingsRepository settings = new SettingsRepository(jdbc);
            settings.declare(Setting.ALL);

            ManagementServerRegistry mshosts = new ManagementServerRegistry(jdbc, config.mshostHeartbeat());
            mshosts.register(InetAddress.getLocalHost().getHostName(), config.httpAddress(), config.httpPort(),
                    ApiVersion.RBDSTACK_VERSION);
            resources.push(mshosts);
            JobRepository jobRows = new JobRepository(jdbc);
            Runnable failJobsOfStoppedServers = () -> failJobsOfStoppedServers(mshosts, jobRows);
            failJobsOfStoppedServers.run();

            AdminBootstrap.ensureAdmin(users, hasher, config.adminPasswordFile(), console);

            HostRepository hosts = new HostRepository(jdbc);
            int stale = hosts.disconnectOrphans("The management server the agent was connected to stopped");
            if (stale > 0) {
                LOG.info("{} host(s) of stopped management servers are Disconnected until their agents reconnect", stale);
            }
            // The built-in CA (shared by every server of this database) and this server's certificate from it.
            CertificateAuthority ca = new CertificateAuthorityRepository(jdbc, cipher, Clock.systemUTC()).loadOrCreate();
            Supplier<Duration> validity = () -> Duration.ofDays(Math.max(1,
                    settings.longValue(Setting.CA_CERT_VALIDITY_PERIOD)));
            ManagementServerIdentity identity = ManagementServerIdentity.issue(ca, validity.get());
            String caFingerprint = Fingerprints.sha256(ca.certificate());
            HostCertificateRepository hostCertificates = new HostCertificateRepository(jdbc);
            HostCertificateIssuer certificateIssuer = new HostCertificateIssuer(hosts, hostCertificates, ca, validity);
            AlertRepository alertRows = new AlertRepository(jdbc);
            Alerts alerts = new Alerts(alertRows);
            HostAgentEvents hostEvents = new HostAgentEvents(hosts, hostCertificates, mshosts.msid(), alerts);
            // Plugins may bring agent messages: the codec must know them before any agent connects.
            ClassLoader plugins = PluginJars.classLoader(pluginDir(config), ManagementServer.class.getClassLoader());
            ListenerConfig listener = new ListenerConfig(config.agentAddress(), config.agentPort(),
                    Optional.of(identity.agentPortContext(hostCertificates::isRevoked)),
                    settings.bool(Setting.AGENT_PLAINTEXT_ALLOWED), config.agentHeartbeat(),
                    config.agentHandshakeTimeout(), config.agentMaxUnauthenticated());
            if (listener.plainAllowed()) {
                LOG.warn("{} is true: the agent port also serves plain-TCP agents, whose traffic (cephx keys and host"
                        + " credentials included) anyone on the network can read. Turn it off unless every agent"
                        + " network is trusted.", Setting.AGENT_PLAINTEXT_ALLOWED.name());
            }
            AgentListener agents = new AgentListener(listener, MessageCodec.load(plugins), hostEvents,
                    certificateIssuer, hostEvents);
            agents.start();
            resources.push(agents);
            // Every command to an agent goes through here: transfers wait for their host's transfer workers.
            AgentConnections agentConnections = new HostTransferQueues(agents.connections(),
                    () -> (int) settings.longValue(Setting.CONCURRENT_SNAPSHOTS_THRESHOLD_PERHOST));
            CommandRegistry registry = new CommandRegistry();
            EventRepository eventRows = new EventRepository(jdbc);
            ActionEvents events = new ActionEvents(eventRows,
                    name -> registry.find(name).map(CommandRegistry.Registered::spec));
            // Pushed after the agent listener, so on stop running jobs drain while agents still answer.
            AsyncJobManager jobs = new AsyncJobManager(jobRows, mshosts.msid(), config.jobThreads(), events);
            resources.push(() -> jobs.close(config.shutdownGrace()));

            SessionStore sessions = new SessionStore(jdbc, config.sessionTimeout(), Clock.systemUTC());
            OwnerRows owners = new OwnerRows(jdbc);
            ZoneRepository zones = new ZoneRepository(jdbc);
            PodRepository pods = new PodRepository(jdbc);
            ClusterRepository clusters = new ClusterRepository(jdbc);
            DiscoveryCommands.register(registry, () -> settings.bool(Setting.KVM_SNAPSHOT_ENABLED));
            Limits limits = new Limits(jdbc, settings);
            ResourceUsage usage = new ResourceUsage(jdbc);
            ResourceSummaries summaries = new ResourceSummaries(limits, usage);
            AccountRepository accountRows = new AccountRepository(jdbc);
            AccountViews accountViews = new AccountViews(accountRows, users, summaries);
            AccountCommands.register(registry, new AccountCommands.Deps(users, hasher, cipher, sessions, accountViews,
                    owners));
            JobCommands.register(registry, jobRows);
            EventCommands.register(registry, eventRows, owners);
            AlertCommands.register(registry, alertRows);
            SettingsCommands.register(registry, settings);
            Infrastructure infra = new Infrastructure(zones, pods, clusters);
            ZoneCommands.register(registry, infra);
            PodCommands.register(registry, infra);
            ClusterCommands.register(registry, infra);

            HostCommands.register(registry, new HostCommands.Deps(infra, hosts, agentConnections, hostCertificates,
                    caFingerprint));
            CertificateCommands.register(registry, new CertificateCommands.Deps(certificateIssuer, hostCertificates,
                    agentConnections));
            HostAdminCommands.register(registry, new HostAdminCommands.Deps(hosts,
                    new HostMaintenance(hosts, agentConnections, java.time.Duration.ofSeconds(1))));
            ManagementServerCommands.register(registry, jdbc);

            EngineHostGateway gateway = new EngineHostGateway(hosts, agentConnections);
            StorageProviders providers = StorageProviders.load(plugins, gateway,
                    new ProviderOptionSettings(settings));
            StoragePoolRepository pools = new StoragePoolRepository(jdbc, cipher);
            StoragePoolService poolService = new StoragePoolService(pools, providers, gateway, hosts);
            resources.push(poolService);
            hostEvents.onConnected(poolService::hostConnected);
            StoragePoolCommands.register(registry, new StoragePoolCommands.Deps(zones, pods, clusters, pools,
                    providers, poolService, settings));
            DiskOfferingRepository offerings = new DiskOfferingRepository(jdbc);
            DiskOfferingCommands.register(registry, new DiskOfferingCommands.Deps(offerings, settings));
            ServiceOfferingRepository serviceOfferings = new ServiceOfferingRepository(jdbc);
            ServiceOfferingCommands.register(registry, new ServiceOfferingCommands.Deps(serviceOfferings, settings));
            // Guest networks; the VM code allocates its NICs through guestNics, inside its deploy transaction.
            NetworkRepository networks = new NetworkRepository(jdbc);
            NetworkOfferingRepository networkOfferings = new NetworkOfferingRepository(jdbc);
            NetworkOfferingCommands.register(registry, networkOfferings);
            NetworkCommands.register(registry, new NetworkCommands.Deps(zones, new DomainRepository(jdbc), networks,
                    networkOfferings, settings));
            GuestIpv6PrefixCommands.register(registry, new GuestIpv6PrefixCommands.Deps(zones,
                    new GuestIpv6PrefixRepository(jdbc)));
            DbGuestNics guestNics = new DbGuestNics(jdbc, networks, settings);
            // Kea on the hosts follows the dual-stack networks' NICs (docs/ipv6-dhcpv6.md).
            Dhcpv6Networks dhcpv6 = new Dhcpv6Networks(jdbc, settings, networks.pdPools(), agentConnections);
            resources.push(dhcpv6);
            guestNics.onPlacementChanged(dhcpv6::vmChanged);
            networks.onDeleted(dhcpv6::networkDeleted);
            hostEvents.onConnected(dhcpv6::hostConnected);
            VolumeRepository volumes = new VolumeRepository(jdbc);
            TemplateRepository templates = new TemplateRepository(jdbc);
            SnapshotRepository snapshots = new SnapshotRepository(jdbc);
            ImageStoreRepository imageStores = new ImageStoreRepository(jdbc, cipher);
            ImageStoreCommands.register(registry, new ImageStoreCommands.Deps(zones, imageStores, gateway));
            LimitCheck limitCheck = new ResourceLimitEnforcer(jdbc, limits, usage);
            SnapshotBackups backups = new SnapshotBackups(jdbc, snapshots, imageStores, pools, poolService, settings, gateway,
                    alerts, limitCheck);
            SnapshotService snapshotService = new SnapshotService(jdbc, snapshots, volumes, pools, poolService, backups,
                    limitCheck, GuestQuiesce.forVolumeSnapshots(jdbc, agentConnections));
            TagRepository tags = new TagRepository(jdbc);
            SnapshotRetention retention = new SnapshotRetention(snapshots, snapshotService, settings);
            SnapshotTaker taker = new SnapshotTaker(snapshotService, backups, snapshots, retention, settings,
                    jobs::submit, events);
            SnapshotPolicyRepository policies = new SnapshotPolicyRepository(jdbc);
            SnapshotCommands.Deps snapshotDeps = new SnapshotCommands.Deps(volumes, snapshots, snapshotService,
                    backups, taker, policies, owners, tags);
            SnapshotCommands.register(registry, snapshotDeps);
            PolicySlots slots = config.snapshotPolicyTestInterval().isZero() ? PolicySlots.asScheduled()
                    : PolicySlots.every(config.snapshotPolicyTestInterval());
            SnapshotPolicyCommands.register(registry, new SnapshotPolicyCommands.Deps(policies, volumes, retention,
                    slots, Clock.systemUTC(), limits, tags));
            SnapshotScheduler scheduler = new SnapshotScheduler(policies, new PolicyRunner(jdbc, policies, volumes,
                    taker, jobs::submit, users::firstActiveUserOf, slots, alerts), settings, Clock.systemUTC());
            // Pushed after the job manager: on stop it takes no more snapshots before the jobs drain. Started
            // once the server is up: a start that fails takes no catch-up snapshots.
            resources.push(scheduler);
            VolumeService volumeService = new VolumeService(jdbc, volumes, pools, poolService, settings, snapshots,
                    limitCheck);
            VolumeCommands.register(registry, new VolumeCommands.Deps(zones, offerings, volumes, volumeService, settings,
                    snapshotDeps, owners, tags, new CloneFlattening(volumeService, settings, jobs::submit)));
            TagCommands.register(registry, new TagCommands.Deps(tags, new EntityRows(jdbc), owners));
            TemplateImport templateImport = new TemplateImport(jdbc, templates, pools, poolService, alerts, settings);
            TemplateCommands.register(registry, new TemplateCommands.Deps(zones, templates, templateImport,
                    jobs::submit));
            Vms vms = new Vms(new Vms.Uses(jdbc, zones, serviceOfferings, offerings, templates, templateImport, pools,
                    poolService, volumes, volumeService, guestNics, agentConnections, settings, owners, events, alerts,
                    users::firstActiveUserOf));
            vms.register(registry);
            resources.push(vms.sync());
            hostEvents.onConnected(vms.sync()::hostConnected);
            AccountDeletion accountDeletion = new AccountDeletion(accountRows, sessions, volumes, volumeService,
                    snapshots, snapshotService, vms::expungeAllOf);
            AccountLifecycleCommands.register(registry, new AccountLifecycleCommands.Deps(accountViews, owners,
                    sessions, accountDeletion));
            DomainCommands.register(registry, new DomainCommands.Deps(new DomainRepository(jdbc), accountRows,
                    accountDeletion, summaries, jdbc));
            ResourceLimitCommands.register(registry, new ResourceLimitCommands.Deps(limits, usage, owners));
            ImageStoreCapacity storeCapacity = new ImageStoreCapacity(imageStores, gateway);
            CapacityCommands.register(registry, new CapacityCommands.Deps(pools, poolService, imageStores, storeCapacity,
                    settings));
            VolumeRecovery volumeRecovery = new VolumeRecovery(volumes, pools, poolService, snapshots);
            SnapshotRecovery snapshotRecovery = new SnapshotRecovery(snapshots, pools, poolService, backups);
            DeferredDeletePurge purge = new DeferredDeletePurge(volumes, pools, poolService, settings);
            StorageCleanup cleanup = new StorageCleanup(settings, failJobsOfStoppedServers, List.of(
                    new StorageCleanup.Step("snapshot(s) left mid-operation settled",
                            snapshotRecovery::settleStuckSnapshots),
                    new StorageCleanup.Step("volume(s) left mid-operation settled", volumeRecovery::settleStuckVolumes),
                    new StorageCleanup.Step("template import(s) left by a stopped server settled",
                            templates::settleInterruptedImports),
                    new StorageCleanup.Step("volume(s) of expunged VMs deleted once no client had them open",
                            new ExpungingVolumes(volumes, pools, poolService, settings, events,
                                    users::firstActiveUserOf)::deleteReleased),
                    new StorageCleanup.Step("deleted volume(s) purged from their storage", purge::purgeExpired),
                    new StorageCleanup.Step("backup file(s) nothing needs any more deleted", backups::collectOrphans),
                    new StorageCleanup.Step("snapshot(s) cleared of unaccepted backup attempts' files",
                            new BackupAttemptLeftovers(snapshots, imageStores, gateway,
                                    poolService::longestTransfers)::deleteSettled),
                    new StorageCleanup.Step("image store(s) read for capacity", storeCapacity::refresh)));
            // Pushed last of the background work, so it stops first.
            LeasedScheduler background = new LeasedScheduler(new ClusterLease(jdbc, mshosts.msid()));
            resources.push(background);
            PoolHealth poolHealth = new PoolHealth(pools, settings, alerts);
            background.schedule("pool-capacity", () -> Duration.ofMillis(settings.longValue(
                    Setting.STORAGE_STATS_INTERVAL)), () -> poolService.refreshAll(poolHealth));
            background.schedule("storage-cleanup", cleanup::interval, cleanup::runIfEnabled);
            BackupVerification backupVerification = new BackupVerification(new BackupVerificationRepository(jdbc, cipher),
                    gateway, alerts, events, users::firstActiveUserOf, settings, Clock.systemUTC());
            BackupVerificationCommands.register(registry, backupVerification);
            background.schedule("backup-verify", backupVerification::period, backupVerification::runIfEnabled);
            RetentionPurges purges = new RetentionPurges(settings, eventRows, alertRows, jobRows);
            background.schedule("event-purge", purges::eventPeriod, purges::purgeEvents);
            background.schedule("alert-purge", purges::alertPeriod, purges::purgeAlerts);
            background.schedule("job-purge", () -> RetentionPurges.JOB_PURGE_PERIOD, purges::purgeJobs);
            Supplier<Duration> vmSyncInterval = () -> Duration.ofSeconds(settings.longValue(Setting.VM_SYNC_INTERVAL));
            background.schedule("vm-power-report-missing", vmSyncInterval, vms.sync()::markVmsOfDownHosts);
            vms.sync().start(vmSyncInterval);

            ApiDispatcher dispatcher = new ApiDispatcher(registry, new ParamBinder(new EntityRows(jdbc),
                    () -> (int) settings.longValue(Setting.DEFAULT_PAGE_SIZE)),
                    new RequestAuthenticator(users, sessions, cipher, Clock.systemUTC()),
                    new LoginService(users, sessions, hasher,
                            new LoginThrottle(jdbc, settings, sessions, Clock.systemUTC()), events), jobs, events);
            SSLContext httpsContext = config.httpsKeystore().isPresent()
                    ? HttpsKeystore.serverContext(config.httpsKeystore().get(), config.httpsKeystorePasswordFile().orElseThrow())
                    : identity.httpsContext();
            Server web = startHttp(config, dispatcher, httpsContext, resources);
            scheduler.start();
            ServerConnector http = ApiHttpServer.httpConnector(web);
            ServerConnector https = ApiHttpServer.httpsConnector(web);
            LOG.info("Management server up in {} ms: API at https://{}:{}{} (and http://{}:{} for loopback clients),"
                    + " agents on port {}; CA certificate SHA-256 {}", (System.nanoTime() - t0) / 1_000_000,
                    config.httpsAddress(), https.getLocalPort(), ApiHttpHandler.PATH, config.httpAddress(),
                    http.getLocalPort(), agents.port(), caFingerprint);
            return new ManagementServer(resources, http, https, caFingerprint, agents, agentConnections, mshosts.msid(),
                    registry.all().stream().map(CommandRegistry.Registered::spec).toList(), background);
        } catch (Exception | Error e) {
            closeAll(resources);
            throw e;
        }
    }

    private static void failJobsOfStoppedServers(ManagementServerRegistry mshosts, JobRepository jobRows) {
        AsyncJobManager.failJobsOfStoppedServers(jobRows, mshosts.markSilentServersDown());
    }

    /** The configured database, or the embedded one (started here) when there is no db.properties. */
    static DbProperties database(ServerConfig config, Deque<AutoCloseable> resources) throws Exception {
        if (config.db().isPresent()) {
            return config.db().get();
        }
        LOG.info("No {} in {}: using the embedded MariaDB in {}", ServerConfig.DB_PROPERTIES, config.configDir(),
                config.embeddedDbDir());
        EmbeddedMariaDb embedded = EmbeddedMariaDb.start(config.embeddedDbDir(), config.embeddedDbPort());
        resources.push(embedded);
        Secret encryptSecret = EmbeddedSecrets.encryptSecret(config.embeddedDbDir());
        return new DbProperties(config.embeddedDbDir(), "127.0.0.1", embedded.port(), "cloud", embedded.username(),
                Secret.of(embedded.password()), "serverTimezone=UTC", 20, 10_000, encryptSecret);
    }

    /** The plugin directory; a relative path is taken from the directory of the server's jar. */
    private static Optional<java.nio.file.Path> pluginDir(ServerConfig config) throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of(config.pluginDir());
        if (dir.isAbsolute()) {
            return Optional.of(dir);
        }
        java.net.URL location = ManagementServer.class.getProtectionDomain().getCodeSource().getLocation();
        java.nio.file.Path code = java.nio.file.Path.of(location.toURI());
        return java.nio.file.Files.isRegularFile(code) ? Optional.of(code.getParent().resolve(dir)) : Optional.empty();
    }

    private static Server startHttp(ServerConfig config, ApiDispatcher dispatcher, SSLContext tls,
                                    Deque<AutoCloseable> resources) throws Exception {
        Server server = ApiHttpServer.create(new ApiHttpServer.Addresses(config.httpAddress(), config.httpPort(),
                config.httpsAddress(), config.httpsPort()), tls, dispatcher);
        server.setStopTimeout(config.shutdownGrace().toMillis());
        server.start();
        resources.push(server::stop);
        return server;
    }

    public int httpPort() {
        return http.getLocalPort();
    }

    public int httpsPort() {
        return https.getLocalPort();
    }

    /** SHA-256 of the built-in CA's certificate, as addHost shows it and agents check it. */
    public String caFingerprint() {
        return caFingerprint;
    }

    public int agentPort() {
        return agentPort;
    }

    /** Every API command this server answers, as declared. */
    public List<CommandSpec> commands() {
        return commands;
    }

    /** Sends commands to connected agents, e.g. a plugin's own commands. */
    public AgentConnections agents() {
        return agents;
    }

    public long msid() {
        return msid;
    }

    /** The background work that runs on one management server at a time; other schedulers add theirs here. */
    public LeasedScheduler background() {
        return background;
    }

    @Override
    public void close() {
        closeAll(resources);
        LOG.info("Management server stopped");
    }

    static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Error while stopping {}: {}", resource, e.getMessage(), e);
            }
        }
    }
}
