package io.rbdstack.server.template;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.ListScope;
import io.rbdstack.server.api.PageParams;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.infra.HypervisorType;
import io.rbdstack.server.infra.ZoneRepository;
import io.rbdstack.server.snapshot.JobSubmitter;
import io.rbdstack.spi.storage.TemplateChecksum;
import io.rbdstack.spi.storage.TemplateUrl;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * registerTemplate, listTemplates, updateTemplate and deleteTemplate. A registered template is saved
 * not ready and imported by a job of its own (listed by listAsyncJobs, progress in bytes), so
 * registerTemplate answers at once, as CloudStack's does.
 */
public final class TemplateCommands {

    private TemplateCommands() {
    }

    /** The registered formats: what the agents can turn into raw RBD images. */
    public enum TemplateFormat {
        RAW, QCOW2
    }

    /** CloudStack's templatefilter values. */
    public enum TemplateFilter {
        self, featured, community, all, executable, selfexecutable, sharedexecutable
    }

    /** What the template commands need. */
    public record Deps(ZoneRepository zones, TemplateRepository templates, TemplateImport imports, JobSubmitter jobs) {

        TemplateRepository.TemplateRow template(String uuid) {
            return templates.find(uuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find template by id " + uuid + " (parameter id); it may have been deleted"));
        }
    }

    public static void register(CommandRegistry registry, Deps deps) {
        registry.register(RegisterTemplate.class, deps);
        registry.register(ListTemplates.class, deps);
        registry.register(UpdateTemplate.class, deps);
        registry.register(DeleteTemplate.class, deps);
    }

    @Command(name = "registerTemplate", description = "Registers a template from an http(s) URL, or a file on the"
            + " agents' hosts (file:///path inside their template directory). It is imported into every primary"
            + " storage pool of the zone by a job; isready turns true once a pool has it.", access = Access.USER,
            response = "template", event = "TEMPLATE.CREATE")
    record RegisterTemplate(
            @Param(description = "the name of the template", column = "vm_template.name") String name,
            @Param(description = "the display text of the template; defaults to the name", length = 4096,
                    column = "vm_template.display_text") Optional<String> displayText,
            @Param(description = "the URL of the template: http(s)://…, or file:///path on the agents' hosts",
                    length = 2048, column = "vm_template.url") String url,
            @Param(description = "the ID of the zone the template is imported in; -1 for every zone", length = 40)
            String zoneId,
            @Param(description = "the format of the template: RAW or QCOW2") TemplateFormat format,
            @Param(description = "the target hypervisor: KVM") HypervisorType hypervisor,
            @Param(description = "the ID of the OS type (stored as given)", length = 40,
                    column = "vm_template.guest_os_uuid") Optional<String> osTypeId,
            @Param(description = "the checksum of the template file: {SHA-256}hex, {MD5}hex (any of MD5, SHA-1,"
                    + " SHA-224, SHA-256, SHA-384, SHA-512) or bare hex (its length says the algorithm)",
                    column = "vm_template.checksum") Optional<String> checksum,
            @Param(description = "true if the template can be used by every account") Optional<Boolean> isPublic,
            @Param(description = "true if the template is featured (root admins only)") Optional<Boolean> isFeatured,
            @Param(description = "true if the template may be extracted (stored)") Optional<Boolean> isExtractable,
            @Param(description = "ignored: rbdstack has no password reset in guests") Optional<Boolean> passwordEnabled,
            @Param(description = "ignored: KVM guests always run in hardware virtual machines")
            Optional<Boolean> requiresHvm,
            @Param(description = "ignored: 32 or 64 bits") Optional<Integer> bits,
            @Param(description = "ignored") Optional<Boolean> isDynamicallyScalable,
            @Param(description = "ignored: no SSH key injection") Optional<Boolean> sshKeyEnabled,
            @Param(description = "ignored: templates are always imported into primary storage")
            Optional<Boolean> directDownload) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            String trimmed = name.trim();
            if (trimmed.isEmpty()) {
                throw ApiException.invalidParameter("Invalid value for parameter name: a template needs a name");
            }
            if (isFeatured.orElse(false) && !caller.isRootAdmin()) {
                throw ApiException.permissionDenied("Only a root admin may register a featured template"
                        + " (parameter isfeatured)");
            }
            TemplateUrl parsed;
            try {
                parsed = TemplateUrl.parse(url);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidParameter("Invalid value for parameter url: " + e.getMessage());
            }
            if (!caller.isRootAdmin()) {
                userMayFetch(parsed);
            }
            String storedChecksum = checksum.map(String::trim).filter(c -> !c.isEmpty()).map(c -> {
                try {
                    return TemplateChecksum.parse(c).toString();
                } catch (IllegalArgumentException e) {
                    throw ApiException.invalidParameter("Invalid value for parameter checksum: " + e.getMessage());
                }
            }).orElse(null);
            Long zone = zoneId.trim().equals("-1") ? null : deps.zones().idOf(zoneId.trim()).orElseThrow(() ->
                    ApiException.noSuchEntity("registerTemplate", "zoneid", zoneId));
            String uuid = UUID.randomUUID().toString();
            deps.templates().insert(new TemplateRepository.NewTemplate(uuid, trimmed, displayText.orElse(trimmed),
                    url.trim(), format.name(), osTypeId.orElse(null), storedChecksum, isPublic.orElse(false),
                    isFeatured.orElse(false), isExtractable.orElse(false), caller.accountId(), caller.domainId(), zone));
            TemplateRepository.TemplateRow saved = deps.templates().find(uuid).orElseThrow();
            deps.jobs().submit(caller, "registerTemplate", Map.of("id", uuid), new AsyncCommand.AsyncStart("Template",
                    uuid, progress -> ApiJson.object("template", deps.imports().run(saved, progress).view())));
            return ApiJson.list("template", List.of(saved.view()), 1);
        }
    }

    /**
     * What only root admins may make the agents read: files on the hosts, and (as CloudStack's URL check)
     * the hosts' own or link-local addresses given literally. A name is resolved by the agent, not here.
     */
    static void userMayFetch(TemplateUrl url) {
        if (url.filePath().isPresent()) {
            throw ApiException.permissionDenied("Only a root admin may register a template from a file on the hosts"
                    + " (parameter url)");
        }
        String host = url.httpUri().orElseThrow().getHost();
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        boolean local = bare.equalsIgnoreCase("localhost") || bare.toLowerCase(java.util.Locale.ROOT)
                .endsWith(".localhost");
        if (!local && (bare.contains(":") || bare.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            try {
                java.net.InetAddress address = java.net.InetAddress.getByName(bare); // a literal: no lookup
                local = address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                        || address.isMulticastAddress();
            } catch (java.net.UnknownHostException e) {
                throw ApiException.invalidParameter("Invalid value for parameter url: the host " + host
                        + " is not a valid address");
            }
        }
        if (local) {
            throw ApiException.invalidParameter("Illegal host specified in url: " + host + " is a local address");
        }
    }

    @Command(name = "listTemplates", description = "Lists templates: templatefilter self (the caller's), featured,"
            + " community (public, not featured), executable (the caller's and public ones) or all (admins).",
            access = Access.USER, response = "template")
    record ListTemplates(
            @Param(description = "self, featured, community, executable or all") TemplateFilter templateFilter,
            @Param(description = "the template ID", entity = Entity.TEMPLATE) Optional<String> id,
            @Param(description = "the template name") Optional<String> name,
            @Param(description = "list templates usable in this zone", entity = Entity.ZONE) Optional<String> zoneId,
            @Param(description = "the hypervisor: KVM") Optional<HypervisorType> hypervisor,
            @Param(description = "List by keyword") Optional<String> keyword,
            PageParams page) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            Optional<Long> zone = zoneId.map(z -> deps.zones().idOf(z).orElseThrow());
            ListScope everyone = ListScope.everything();
            TemplateRepository.Filter filter = switch (templateFilter) {
                case self, selfexecutable -> filter(ListScope.account(caller.accountId()), Optional.empty(),
                        Optional.empty(), Optional.empty(), zone);
                case featured -> filter(everyone, Optional.empty(), Optional.of(true), Optional.of(true), zone);
                case community -> filter(everyone, Optional.empty(), Optional.of(true), Optional.of(false), zone);
                case sharedexecutable -> filter(everyone, Optional.empty(), Optional.of(true), Optional.empty(), zone);
                case executable -> filter(everyone, Optional.of(caller.accountId()), Optional.empty(),
                        Optional.empty(), zone);
                case all -> caller.isRootAdmin() ? filter(everyone, Optional.empty(), Optional.empty(),
                        Optional.empty(), zone)
                        : caller.isDomainAdmin() ? filter(ListScope.domain(caller.domainId(), caller.domainPath(), true),
                        Optional.empty(), Optional.empty(), Optional.empty(), zone)
                        : filter(everyone, Optional.of(caller.accountId()), Optional.empty(), Optional.empty(), zone);
            };
            return ApiJson.list("template", deps.templates().list(filter, page.sql()).stream()
                    .map(TemplateRepository.TemplateRow::view).toList(), deps.templates().count(filter));
        }

        private TemplateRepository.Filter filter(ListScope scope, Optional<Long> ownerOrPublic,
                                                 Optional<Boolean> publicOnly, Optional<Boolean> featured,
                                                 Optional<Long> zone) {
            return new TemplateRepository.Filter(scope, ownerOrPublic, publicOnly, featured, id, name, keyword, zone);
        }
    }

    @Command(name = "updateTemplate", description = "Updates a template's name or display text.",
            access = Access.USER, response = "template", event = "TEMPLATE.UPDATE")
    record UpdateTemplate(
            @Param(description = "the ID of the template", entity = Entity.TEMPLATE, acl = true) String id,
            @Param(description = "the name of the template", column = "vm_template.name") Optional<String> name,
            @Param(description = "the display text of the template", length = 4096,
                    column = "vm_template.display_text") Optional<String> displayText) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            TemplateRepository.TemplateRow template = deps.template(id);
            Optional<String> newName = name.map(String::trim);
            if (newName.filter(String::isEmpty).isPresent()) {
                throw ApiException.invalidParameter("Invalid value for parameter name: a template needs a name");
            }
            deps.templates().update(template.id(), newName, displayText);
            return ApiJson.object("template", deps.template(id).view());
        }
    }

    @Command(name = "deleteTemplate", description = "Deletes a template and its base images on primary storage."
            + " Refused while volumes are cloned from it, unless forced=true: then they are flattened first.",
            access = Access.USER, response = "success", event = "TEMPLATE.DELETE")
    record DeleteTemplate(
            @Param(description = "the ID of the template", entity = Entity.TEMPLATE, acl = true) String id,
            @Param(description = "ignored: a template is deleted from every zone", entity = Entity.ZONE)
            Optional<String> zoneId,
            @Param(description = "delete even if volumes are cloned from it, after flattening them (a full copy each)")
            Optional<Boolean> forced)
            implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            TemplateRepository.TemplateRow template = deps.template(id);
            if (template.state() == TemplateState.Downloading || template.state() == TemplateState.Allocated) {
                throw ApiException.inUse("Template " + template.name() + " is still being imported ("
                        + template.status() + "); delete it when the import has ended");
            }
            List<String> vms = deps.templates().vmsUsing(template.id());
            if (!vms.isEmpty() && !forced.orElse(false)) {
                // CloudStack's text (with uuids): VMs not expunged, destroyed ones included, keep their template
                throw ApiException.invalidParameter("Unable to delete template with id: " + template.uuid()
                        + " because VM instances: [" + String.join(", ", vms) + "] are using it.");
            }
            List<TemplateRepository.Dependent> dependents = deps.templates().dependentVolumes(template.id());
            if (!dependents.isEmpty() && !forced.orElse(false)) {
                throw ApiException.inUse("Cannot delete template " + template.name() + ": " + dependents.size()
                        + " volume(s) depend on it (" + String.join(", ", dependents.stream()
                        .map(TemplateRepository.Dependent::name).toList()) + "); forced=true flattens them first");
            }
            return new AsyncStart("Template", template.uuid(), progress -> {
                deps.imports().delete(template, forced.orElse(false), progress);
                return ApiJson.success();
            });
        }
    }
}
