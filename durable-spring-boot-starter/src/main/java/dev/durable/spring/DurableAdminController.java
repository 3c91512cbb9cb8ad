package dev.durable.spring;

import dev.durable.runtime.local.admin.AdminApi;
import dev.durable.runtime.local.admin.AdminServer;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The admin API and web console under the application's own port and security ({@code durable.admin.mount=spring}),
 * at {@code durable.admin.path} (default {@code /durable}): the same routes as the admin endpoint. Requests need the
 * bearer token unless {@code durable.admin.require-token=false}, for applications whose Spring Security protects
 * that path.
 */
@RestController
@RequestMapping("${durable.admin.path:/durable}")
public class DurableAdminController {
    private final AdminApi api;
    private final String base;
    private final String token;

    DurableAdminController(AdminApi api, String base, String token) {
        this.api = api;
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
    }

    @RequestMapping("/api/**")
    public ResponseEntity<byte[]> api(HttpServletRequest request) {
        String uri = request.getRequestURI().substring(request.getContextPath().length());
        String path = uri.substring(Math.min(uri.length(), base.length() + "/api/".length()));
        AdminApi.Response r;
        if (token != null && !AdminServer.bearerMatches(request.getHeader(HttpHeaders.AUTHORIZATION), token)) {
            r = AdminApi.refusal(
                    401,
                    "missing or wrong bearer token (durable.admin.token, or the one the application"
                            + " logged); set durable.admin.require-token=false when Spring Security protects " + base);
        } else {
            r = api.handle(
                    request.getMethod(),
                    path,
                    request.getQueryString(),
                    () -> AdminApi.readLimited(
                            request.getInputStream(), request.getContentLengthLong(), api.bodyLimit()));
        }
        return ResponseEntity.status(r.status())
                .header(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(r.json());
    }

    @RequestMapping({"", "/", "/index.html", "/console.js", "/console.css"})
    public ResponseEntity<byte[]> console(HttpServletRequest request) throws IOException {
        String uri = request.getRequestURI().substring(request.getContextPath().length());
        if (uri.equals(base)) { // the page's relative links need the trailing slash
            return ResponseEntity.status(302)
                    .header(HttpHeaders.LOCATION, request.getContextPath() + base + "/")
                    .build();
        }
        Optional<AdminServer.ConsoleFile> file = AdminServer.consoleFile(uri.substring(base.length()));
        if (file.isEmpty()) {
            return ResponseEntity.notFound().build();
        }
        ResponseEntity.BodyBuilder b =
                ResponseEntity.ok().header(HttpHeaders.CONTENT_TYPE, file.get().contentType());
        AdminServer.ConsoleFile.HEADERS.forEach((k, v) -> b.header(k, v));
        return b.body(file.get().bytes());
    }
}
