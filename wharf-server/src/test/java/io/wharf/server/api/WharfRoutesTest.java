package io.wharf.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.api.WharfRoutes.Apis;
import io.wharf.server.api.WharfRoutes.Route;
import io.wharf.server.audit.AuditApi;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The route table: what ROUTES lists is what is served, each route is reachable, and paths go where they should. */
class WharfRoutesTest {
    private static final String DIGEST = "sha256:" + "a".repeat(64);
    private static final String LAYER = "sha256:" + "b".repeat(64);
    /** Every API, so every route is served (the endpoints are never called here). */
    private static final Apis ALL = new Apis(new JobsApi(null, null, "r", "a"), new UsageApi(null, null, "r", "a", 256),
            new AuditApi(null), new WebhooksApi(null, "r"), new PublicApi(null, "r", "a", 256, null),
            new InsightApi(null, "r", "a", 256), new SignaturesApi(null, "r", "a", 256), new SbomApi(null, "r", "a", 256),
            new ReplicationApi(null, "r"));
    /** Only the APIs that are always there. */
    private static final Apis REQUIRED = new Apis(ALL.jobs(), ALL.usage(), ALL.audit(), null, null, null, null, null, null);

    @Test
    void routesListsTheTableOnceEach() {
        assertThat(WharfApiHandler.ROUTES).isNotEmpty().doesNotHaveDuplicates()
                .containsExactlyElementsOf(WharfRoutes.TABLE.stream().map(Route::name).toList());
    }

    @Test
    void everyRouteIsReachable() {
        for (Route<?> route : WharfRoutes.TABLE) {
            Route<?> owner = WharfRoutes.owner(ALL, filled(route.path()));
            assertThat(owner).as(route.name()).isNotNull();
            assertThat(WharfRoutes.forMethod(owner, route.method())).as(route.name()).isSameAs(route);
        }
    }

    @Test
    void routesOfAMissingServiceAreNotServed() {
        for (Route<?> route : WharfRoutes.TABLE) {
            Route<?> owner = WharfRoutes.owner(REQUIRED, filled(route.path()));
            boolean owned = owner != null && owner.path().equals(route.path());
            assertThat(owned).as(route.name()).isEqualTo(route.served(REQUIRED));
        }
        assertThat(WharfRoutes.owner(REQUIRED, "webhooks")).isNull();
        assertThat(WharfRoutes.owner(REQUIRED, "gallery")).isNull();
    }

    @Test
    void placeholdersAreOneSegmentAndNamesMayHaveMore() {
        Route<?> layer = WharfRoutes.owner(ALL, "repositories/team/images/app/images/" + DIGEST + "/insight/layers/" + LAYER);
        assertThat(layer.path()).isEqualTo("repositories/{name}/images/{digest}/insight/layers/{layer}");
        assertThat(layer.params("repositories/team/images/app/images/" + DIGEST + "/insight/layers/" + LAYER))
                .isEqualTo(Map.of("name", "team/images/app", "digest", DIGEST, "layer", LAYER));
        assertThat(WharfRoutes.owner(ALL, "repositories//usage").params("repositories//usage"))
                .as("an empty name is the endpoint's to refuse").isEqualTo(Map.of("name", ""));
        assertThat(WharfRoutes.owner(ALL, "webhooks/a/b")).isNull();
        assertThat(WharfRoutes.owner(ALL, "jobs/scrub/run/x")).isNull();
        assertThat(WharfRoutes.owner(ALL, "usage/more")).isNull();
    }

    @Test
    void anotherMethodOnAKnownPathNamesTheOnesItTakes() {
        for (var c : List.of(List.of("repositories/team/app/public", "POST", "POST not allowed here; use GET, PUT or DELETE"),
                List.of("webhooks", "PUT", "PUT not allowed here; use GET or POST"),
                List.of("jobs/scrub/run", "GET", "GET not allowed here; use POST"))) {
            assertThatThrownBy(() -> WharfRoutes.forMethod(WharfRoutes.owner(ALL, c.get(0)), c.get(1)))
                    .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.error).isEqualTo(ApiError.METHOD_NOT_ALLOWED))
                    .hasMessage(c.get(2));
        }
    }

    private static String filled(String path) {
        return path.replace("{name}", "team/app").replace("{digest}", DIGEST).replace("{layer}", LAYER)
                .replace("{id}", "wh-1").replace("{job}", "scrub");
    }
}
