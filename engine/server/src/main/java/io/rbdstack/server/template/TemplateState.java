package io.rbdstack.server.template;

/** Where a template is: registered, importing into the pools, usable, or failed (the status says why). */
public enum TemplateState {
    Allocated, Downloading, Ready, Error
}
