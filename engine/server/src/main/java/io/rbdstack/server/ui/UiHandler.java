package io.rbdstack.server.ui;

import java.util.regex.Pattern;
import org.eclipse.jetty.http.CompressedContentFormat;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin web UI: the files the UI build put on the class path under {@value #CLASSPATH_DIR}, served
 * at {@value #BASE} (CloudStack's path; {@code /} redirects there) by Jetty's {@link ResourceHandler}.
 * It is placed after the API handler, so {@code /client/api} never reaches it.
 *
 * <ul>
 * <li>The UI routes in the browser (/client/storage/add …): a path under /client/ whose last segment
 * has no '.' and that is not under assets/ is answered with index.html; a missing file (a name with a
 * '.', anything under assets/) is a 404, never index.html, so a broken asset link fails loudly.</li>
 * <li>Hashed files under assets/ are cached for a year (a new build has new names); everything else,
 * index.html above all, is revalidated on every load, so a new build shows at once.</li>
 * <li>Every answer carries a Content-Security-Policy that allows only this origin's scripts (no inline
 * script, no eval) and calls to this origin only, refuses framing, and sends no referrer.</li>
 * </ul>
 */
public final class UiHandler extends Handler.Wrapper {

    public static final String BASE = "/client/";
    static final String CLASSPATH_DIR = "rbdstack-ui";
    static final String ASSETS = "assets/";
    static final String INDEX = "index.html";

    /**
     * Styles may be inline: Ant Design Vue writes its component styles into style elements at run time.
     * Scripts may not: the build emits none, and an injected one must not run.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    static final String ASSET_CACHE = "public, max-age=31536000, immutable";
    static final String REVALIDATE = "no-cache";

    /** A UI route: segments of letters, digits, '-' and '_' only (so never a file name). */
    private static final Pattern APP_ROUTE = Pattern.compile("(/[A-Za-z0-9_-]+)*/?");
    private static final Logger LOG = LoggerFactory.getLogger(UiHandler.class);

    private final boolean built;
    private final Resource root;

    /** The UI from the class path; when the build left it out, the UI paths answer 404 and a warning is logged. */
    public UiHandler() {
        ResourceHandler files = new ResourceHandler();
        root = ResourceFactory.of(files).newClassLoaderResource(CLASSPATH_DIR, false);
        built = root != null && root.resolve(INDEX) != null && root.resolve(INDEX).exists();
        if (built) {
            files.setBaseResource(root);
            files.setDirAllowed(false);
            files.setEtags(true);
            // The build writes name.gz beside each compressible file; served to browsers that take gzip.
            files.setPrecompressedFormats(CompressedContentFormat.GZIP);
            setHandler(files);
        } else {
            LOG.warn("The web UI is not on the class path ({}/{} missing): {} answers 404. Build with Maven"
                    + " (npm ci and npm run build run in engine/server) to include it.", CLASSPATH_DIR, INDEX, BASE);
        }
    }

    /** Whether the UI's files were found. */
    public boolean isBuilt() {
        return built;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (path.equals("/") || path.equals("/client")) {
            Response.sendRedirect(request, response, callback, HttpStatus.FOUND_302, BASE, true);
            return true;
        }
        if (!path.startsWith(BASE) || !built) {
            return false;
        }
        String file = path.substring(BASE.length());
        boolean asset = file.startsWith(ASSETS);
        if (!asset && APP_ROUTE.matcher("/" + file).matches()) {
            file = INDEX;
        }
        if (!isFile(file)) {
            // Answered 404 by the error handler, without the headers below: a year's caching of a 404 would
            // outlast the next build.
            return false;
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, asset ? ASSET_CACHE : REVALIDATE);
        response.getHeaders().put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("X-Frame-Options", "DENY");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        return super.handle(withPath(request, "/" + file), response, callback);
    }

    private boolean isFile(String file) {
        Resource resource = root.resolve(file);
        return resource != null && resource.exists() && !resource.isDirectory();
    }

    /** The request as the file handler sees it: the path within the UI's files. */
    private static Request withPath(Request request, String path) {
        HttpURI uri = HttpURI.build(request.getHttpURI()).path(path);
        return new Request.Wrapper(request) {
            @Override
            public HttpURI getHttpURI() {
                return uri;
            }
        };
    }
}
