package io.rbdstack.agent.template;

import io.rbdstack.agent.ceph.RadosConnector;
import io.rbdstack.agent.storage.RbdTemplateCommands;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where this host imports templates from and works on them. Read from system properties (the agent's
 * start script may set them): {@code rbdstack.template.dir}, the only directory file templates are read
 * from (default /var/lib/rbdstack/templates), and {@code rbdstack.template.work.dir}, root's private
 * directory for downloads and qemu-img's Ceph client files (default /var/lib/rbdstack/template-work).
 */
public record TemplateImportSettings(Path allowedDirectory, Path workDirectory) {

    public static final String ALLOWED_DIRECTORY = "rbdstack.template.dir";
    public static final String WORK_DIRECTORY = "rbdstack.template.work.dir";

    public static TemplateImportSettings fromSystemProperties() {
        return new TemplateImportSettings(Path.of(System.getProperty(ALLOWED_DIRECTORY, "/var/lib/rbdstack/templates")),
                Path.of(System.getProperty(WORK_DIRECTORY, "/var/lib/rbdstack/template-work")));
    }

    /** The template commands working with these directories. */
    public RbdTemplateCommands commands(RadosConnector rados) {
        return new RbdTemplateCommands(rados, new TemplateFetch(allowedDirectory, workDirectory,
                TemplateFetch.Timeouts.DEFAULT), new QemuImg("qemu-img", Duration.ofHours(6)), workDirectory);
    }
}
