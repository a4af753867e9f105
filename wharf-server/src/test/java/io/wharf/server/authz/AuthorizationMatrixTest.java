package io.wharf.server.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.api.WharfApiHandler;
import io.wharf.server.audit.CloudTrailHandler;
import io.wharf.server.authz.MatrixExpectations.Api;
import io.wharf.server.authz.MatrixExpectations.Expect;
import io.wharf.server.authz.MatrixExpectations.Row;
import io.wharf.server.authz.MatrixProbes.Outcome;
import io.wharf.server.console.ConsoleHandler;
import io.wharf.server.ecr.EcrHandler;
import io.wharf.server.oci.OciHandler;
import io.wharf.server.secrets.SecretsManagerHandler;
import io.wharf.server.sts.StsHandler;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.eclipse.jetty.server.Handler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authorization matrix (docs/security.md, "Authorization matrix"): every operation and route the server serves ×
 * every principal of {@link MatrixPrincipal}, over real HTTP against one server, asserting {@link MatrixExpectations}.
 * A DENY must be the protocol's own refusal (ECR {@code AccessDeniedException} / {@code MissingAuthenticationToken},
 * {@code /v2/} and Wharf's API 401 with the challenge or 403 {@code DENIED}, STS {@code AccessDenied}); an ALLOW must
 * pass authorization (any answer but 401, 403, an authorization error code or a 5xx). The operations come from the
 * server's own tables, so an operation added without a row here fails {@link #everyServedOperationHasARow()}.
 */
class AuthorizationMatrixTest {
    @TempDir
    static Path data;
    static MatrixServer server;
    static MatrixProbes probes;
    static final AtomicInteger CHECKED = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        server = new MatrixServer(data);
        probes = new MatrixProbes(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        System.out.printf("authorization matrix: %d rows x %d principals (%s) = %d cells; %d checked%n",
                MatrixExpectations.ROWS.size(), MatrixPrincipal.values().length, MatrixExpectations.header(),
                MatrixExpectations.cells(), CHECKED.get());
    }

    /** The operations each handler of the running server answers, against the rows of its API. */
    @Test
    void everyServedOperationHasARow() {
        SoftAssertions soft = new SoftAssertions();
        List<EcrHandler> ecr = served(EcrHandler.class);
        soft.assertThat(ecr).as("the ECR and ECR Public handlers").hasSize(2);
        for (EcrHandler h : ecr) {
            Api api = h.targetPrefix().equals(MatrixProbes.ECR_PUBLIC_PREFIX) ? Api.ECR_PUBLIC : Api.ECR;
            covers(soft, api, h.operationNames());
        }
        served(OciHandler.class).forEach(h -> covers(soft, Api.OCI, h.routeNames()));
        served(ConsoleHandler.class).forEach(h -> covers(soft, Api.CONSOLE, h.routeNames()));
        soft.assertThat(served(OciHandler.class)).hasSize(1);
        soft.assertThat(served(ConsoleHandler.class)).hasSize(1);
        covers(soft, Api.WHARF, WharfApiHandler.ROUTES);
        covers(soft, Api.STS, StsHandler.ACTIONS);
        covers(soft, Api.SECRETS_MANAGER, SecretsManagerHandler.OPERATIONS);
        covers(soft, Api.CLOUDTRAIL, CloudTrailHandler.OPERATIONS);
        soft.assertAll();
    }

    private static <H extends Handler> List<H> served(Class<H> type) {
        return ((Handler.Container) server.handler).getDescendants(type);
    }

    private static void covers(SoftAssertions soft, Api api, Collection<String> served) {
        soft.assertThat(MatrixExpectations.operations(api)).as("%s: the rows, against what is served", api)
                .containsExactlyInAnyOrderElementsOf(served);
    }

    @TestFactory
    Stream<DynamicNode> matrix() {
        return MatrixExpectations.ROWS.stream().map(row -> DynamicContainer.dynamicContainer(
                row.toString(), Stream.of(MatrixPrincipal.values()).map(who -> DynamicTest.dynamicTest(
                        who.column + " " + row.expect().get(who), () -> check(row, who)))));
    }

    /**
     * A principal denied a repository it cannot see must not learn whether it exists: the same request about a
     * repository that was never created gets the same status and code. (Another account's names answer as denied,
     * not as missing, in ECR: authorization comes first, on the ARN the request names.)
     */
    @TestFactory
    Stream<DynamicTest> deniedCallersCannotTellAPrivateRepositoryExists() {
        Set<Api> byRepository = Set.of(Api.ECR, Api.ECR_PUBLIC, Api.OCI, Api.WHARF);
        return MatrixExpectations.ROWS.stream().filter(row -> byRepository.contains(row.api()))
                .flatMap(row -> Stream.of(MatrixPrincipal.ANONYMOUS, MatrixPrincipal.NO_POLICY, MatrixPrincipal.OTHER_ACCOUNT)
                        .filter(who -> row.expect().get(who) == Expect.DENY)
                        .map(who -> DynamicTest.dynamicTest(row + " as " + who.column, () -> {
                            Outcome present = probes.probe(row, who, MatrixServer.REPO);
                            Outcome absent = probes.probe(row, who, MatrixServer.ABSENT_REPO);
                            assertThat(absent.status()).as("%s vs %s", absent, present).isEqualTo(present.status());
                            assertThat(absent.code()).as("%s vs %s", absent, present).isEqualTo(present.code());
                        })));
    }

    private static void check(Row row, MatrixPrincipal who) throws Exception {
        Outcome o = probes.probe(row, who, MatrixServer.REPO);
        CHECKED.incrementAndGet();
        String what = row + " as " + who.column;
        assertThat(o.status()).as("%s: never a server error: %s", what, o).isLessThan(500);
        if (row.expect().get(who) == Expect.ALLOW) {
            assertThat(MatrixVerdicts.denied(row, o)).as("%s: allowed, but refused: %s", what, o).isFalse();
        } else {
            MatrixVerdicts.assertDeniedInShape(row.api(), who, o, what);
        }
    }
}
