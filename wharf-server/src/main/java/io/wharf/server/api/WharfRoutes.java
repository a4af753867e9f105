package io.wharf.server.api;

import static io.wharf.server.api.WharfRoutes.Access.ANYONE;
import static io.wharf.server.api.WharfRoutes.Access.OWN_ACCOUNT;
import static io.wharf.server.api.WharfRoutes.Access.SIGNED_IN;

import io.wharf.server.audit.AuditApi;
import io.wharf.server.audit.AuditLookup;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The route table of Wharf's API: each route's method, its path below {@code /wharf/v1/}, who may call it, the API
 * that serves it and the method that answers it. A placeholder matches one path segment, except {@code {name}}, a
 * repository name, which may span several ({@code team/app}); an empty one is the endpoint's to refuse (400). A path
 * belongs to the first route, in table order, that matches it; another method on it is 405. Routes whose API is not
 * configured are not served: their paths are as unknown as any other (404 once signed in).
 */
final class WharfRoutes {
    /** Who may call a route. */
    enum Access {
        /** Anyone, signed in or not: the gallery. */
        ANYONE,
        /** A signed-in caller; the request is recorded in the registry's account. */
        SIGNED_IN,
        /** A signed-in caller, about resources of its own account (webhooks): recorded in that account. */
        OWN_ACCOUNT
    }

    /** The APIs the routes call; an optional one is null when its service is not configured. */
    record Apis(JobsApi jobs, UsageApi usage, AuditApi audit, WebhooksApi webhooks, PublicApi publicRepositories,
                InsightApi insight, SignaturesApi signatures, SbomApi sboms, ReplicationApi replication) {
    }

    @FunctionalInterface
    interface Endpoint<A> {
        ApiReply answer(A api, ApiCall call) throws IOException;
    }

    record Route<A>(String method, String path, Access access, Function<Apis, A> api, Endpoint<A> endpoint,
                    Pattern pattern, List<String> placeholders) {
        /** {@code METHOD path}, as {@link WharfApiHandler#ROUTES} lists it. */
        String name() {
            return method + " " + path;
        }

        boolean served(Apis apis) {
            return api.apply(apis) != null;
        }

        ApiReply answer(Apis apis, ApiCall call) throws IOException {
            return endpoint.answer(api.apply(apis), call);
        }

        /** The placeholders' values in {@code path}, which this route matches. */
        Map<String, String> params(String path) {
            Matcher m = pattern.matcher(path);
            m.matches();
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < placeholders.size(); i++) {
                values.put(placeholders.get(i), m.group(i + 1));
            }
            return values;
        }
    }

    /** In the order paths are tried: with names of several segments, two routes can match one path. */
    static final List<Route<?>> TABLE = List.of(
            route("GET", "webhooks", OWN_ACCOUNT, Apis::webhooks, WebhooksApi::list),
            route("POST", "webhooks", OWN_ACCOUNT, Apis::webhooks, WebhooksApi::create),
            route("GET", "webhooks/{id}", OWN_ACCOUNT, Apis::webhooks, WebhooksApi::show),
            route("PATCH", "webhooks/{id}", OWN_ACCOUNT, Apis::webhooks, WebhooksApi::update),
            route("DELETE", "webhooks/{id}", OWN_ACCOUNT, Apis::webhooks, WebhooksApi::delete),
            route("POST", "webhooks/{id}/test", OWN_ACCOUNT, Apis::webhooks, WebhooksApi::test),
            route("POST", "webhooks/{id}/replay", OWN_ACCOUNT, Apis::webhooks, WebhooksApi::replay),
            route("GET", "gallery", ANYONE, Apis::publicRepositories, PublicApi::search),
            route("GET", "gallery/logo/{name}", ANYONE, Apis::publicRepositories, PublicApi::logo),
            route("GET", "usage", SIGNED_IN, Apis::usage, UsageApi::registry),
            route("GET", "audit/events", SIGNED_IN, Apis::audit, WharfRoutes::auditEvents),
            route("GET", "repositories/{name}/usage", SIGNED_IN, Apis::usage, UsageApi::repository),
            route("GET", "repositories/{name}/images/{digest}/insight", SIGNED_IN, Apis::insight, InsightApi::image),
            route("GET", "repositories/{name}/images/{digest}/insight/layers/{layer}", SIGNED_IN, Apis::insight,
                    InsightApi::layer),
            route("GET", "repositories/{name}/images/{digest}/signatures", SIGNED_IN, Apis::signatures,
                    SignaturesApi::signatures),
            route("GET", "repositories/{name}/signature-policy", SIGNED_IN, Apis::signatures, SignaturesApi::getPolicy),
            route("PUT", "repositories/{name}/signature-policy", SIGNED_IN, Apis::signatures, SignaturesApi::putPolicy),
            route("DELETE", "repositories/{name}/signature-policy", SIGNED_IN, Apis::signatures, SignaturesApi::deletePolicy),
            route("GET", "repositories/{name}/public", SIGNED_IN, Apis::publicRepositories, PublicApi::visibility),
            route("PUT", "repositories/{name}/public", SIGNED_IN, Apis::publicRepositories, PublicApi::makePublic),
            route("DELETE", "repositories/{name}/public", SIGNED_IN, Apis::publicRepositories, PublicApi::makePrivate),
            route("GET", "repositories/{name}/sbom/{digest}", SIGNED_IN, Apis::sboms, SbomApi::sbom),
            route("GET", "replication/backfills", SIGNED_IN, Apis::replication, ReplicationApi::list),
            route("POST", "replication/backfills", SIGNED_IN, Apis::replication, ReplicationApi::start),
            route("GET", "replication/backfills/{id}", SIGNED_IN, Apis::replication, ReplicationApi::describe),
            route("GET", "jobs", SIGNED_IN, Apis::jobs, JobsApi::list),
            route("GET", "jobs/{job}", SIGNED_IN, Apis::jobs, JobsApi::describe),
            route("POST", "jobs/{job}/run", SIGNED_IN, Apis::jobs, JobsApi::run));

    private WharfRoutes() {
    }

    /** The route that owns {@code path}: the first served one that matches it; null if none does. */
    static Route<?> owner(Apis apis, String path) {
        for (Route<?> r : TABLE) {
            if (r.served(apis) && r.pattern().matcher(path).matches()) {
                return r;
            }
        }
        return null;
    }

    /** The route of {@code owner}'s path for {@code method}; 405, naming the methods the path takes, if none. */
    static Route<?> forMethod(Route<?> owner, String method) {
        List<Route<?>> same = TABLE.stream().filter(r -> r.path().equals(owner.path())).toList();
        return same.stream().filter(r -> r.method().equals(method)).findFirst()
                .orElseThrow(() -> new ApiProblem(ApiError.METHOD_NOT_ALLOWED,
                        method + " not allowed here; use " + choices(same)));
    }

    /** {@code GET}, {@code GET or POST}, {@code GET, PUT or DELETE}. */
    private static String choices(List<Route<?>> routes) {
        List<String> methods = routes.stream().map(Route::method).toList();
        int last = methods.size() - 1;
        return last == 0 ? methods.get(0) : String.join(", ", methods.subList(0, last)) + " or " + methods.get(last);
    }

    /** The caller's account's audit records, as {@value AuditLookup#ACTION} on {@code *}. */
    private static ApiReply auditEvents(AuditApi audit, ApiCall call) {
        call.allow(AuditLookup.ACTION, "*");
        return ApiReply.json(audit.events(call.ex(), call.caller().account()));
    }

    private static <A> Route<A> route(String method, String path, Access access, Function<Apis, A> api,
                                      Endpoint<A> endpoint) {
        List<String> placeholders = new ArrayList<>();
        StringBuilder regex = new StringBuilder();
        Matcher m = Pattern.compile("\\{([a-z]+)}").matcher(path);
        int at = 0;
        while (m.find()) {
            regex.append(Pattern.quote(path.substring(at, m.start())));
            regex.append(m.group(1).equals("name") ? "(.*)" : "([^/]*)");
            placeholders.add(m.group(1));
            at = m.end();
        }
        regex.append(Pattern.quote(path.substring(at)));
        return new Route<>(method, path, access, api, endpoint, Pattern.compile(regex.toString()), List.copyOf(placeholders));
    }
}
