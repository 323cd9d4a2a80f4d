package io.rbdstack.server.api;

/** Parameter types as listApis reports them. */
public enum ParamType {
    STRING("string"), UUID("uuid"), LONG("long"), INTEGER("integer"), BOOLEAN("boolean"), MAP("map"),
    LIST("list"), DATE("date");

    private final String apiName;

    ParamType(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }
}
