package io.rbdstack.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rbdstack.server.auth.crypto.ApiSignature;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** A minimal CloudStack API client for tests: login sessions or API-key signatures, JSON responses. */
public final class ApiClient {

    public static final ObjectMapper JSON = new ObjectMapper();

    /** The HTTP status, headers and parsed body of one call. */
    public record Reply(int status, String contentType, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Not JSON: " + body, e);
            }
        }

        /** The content of the {@code <command>response} envelope. */
        public JsonNode response(String command) {
            JsonNode node = json().get(command.toLowerCase() + "response");
            if (node == null) {
                throw new AssertionError("No " + command.toLowerCase() + "response in " + body);
            }
            return node;
        }
    }

    private final String url;
    private final HttpClient http;
    private final String sessionKey;
    private final String apiKey;
    private final String secretKey;

    private ApiClient(String url, HttpClient http, String sessionKey, String apiKey, String secretKey) {
        this.url = url;
        this.http = http;
        this.sessionKey = sessionKey;
        this.apiKey = apiKey;
        this.secretKey = secretKey;
    }

    public static ApiClient anonymous(String url) {
        return new ApiClient(url, HttpClient.newHttpClient(), null, null, null);
    }

    public static ApiClient login(String url, String username, String password) throws Exception {
        return login(url, username, password, "ROOT");
    }

    /** @param domain the user's domain path as CloudStack's login takes it, e.g. ROOT/sales */
    public static ApiClient login(String url, String username, String password, String domain) throws Exception {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        ApiClient anonymous = new ApiClient(url, http, null, null, null);
        Reply reply = anonymous.post(Map.of("command", "login", "username", username, "password", password,
                "domain", domain, "response", "json"));
        if (reply.status() != 200) {
            throw new AssertionError("login failed: " + reply.body());
        }
        return new ApiClient(url, http, reply.response("login").get("sessionkey").asText(), null, null);
    }

    /** The same session (cookie and sessionkey) against another server, e.g. a second management server. */
    public ApiClient at(String otherUrl) {
        return new ApiClient(otherUrl, http, sessionKey, apiKey, secretKey);
    }

    public static ApiClient withKeys(String url, String apiKey, String secretKey) {
        return new ApiClient(url, HttpClient.newHttpClient(), null, apiKey, secretKey);
    }

    /** Calls {@code command} with {@code params} (name, value pairs) as JSON. */
    public Reply call(String command, String... params) throws Exception {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("command", command);
        for (int i = 0; i < params.length; i += 2) {
            all.put(params[i], params[i + 1]);
        }
        all.putIfAbsent("response", "json");
        return get(all);
    }

    public Reply get(Map<String, String> params) throws Exception {
        Map<String, String> all = authenticated(params);
        return send(HttpRequest.newBuilder(URI.create(url + "?" + query(all))).GET().build());
    }

    public Reply post(Map<String, String> params) throws Exception {
        Map<String, String> all = authenticated(params);
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(query(all))).build());
    }

    /** Polls queryAsyncJobResult until the job is no longer pending (bounded). */
    public JsonNode awaitJob(String jobId) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode job = call("queryAsyncJobResult", "jobid", jobId).response("queryAsyncJobResult");
            if (job.get("jobstatus").asInt() != 0) {
                return job;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + jobId + " still pending after 60 s");
    }

    private Map<String, String> authenticated(Map<String, String> params) {
        Map<String, String> all = new LinkedHashMap<>(params);
        if (sessionKey != null) {
            all.put("sessionkey", sessionKey);
        }
        if (apiKey != null) {
            all.put("apiKey", apiKey);
            all.put("signature", ApiSignature.sign(all, secretKey));
        }
        return all;
    }

    private Reply send(HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    static String query(Map<String, String> params) {
        return params.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
