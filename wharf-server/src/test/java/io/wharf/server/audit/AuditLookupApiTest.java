package io.wharf.server.audit;

import static io.wharf.server.audit.AuditServer.ROOT_ARN;
import static io.wharf.server.audit.AuditServer.ROOT_ID;
import static io.wharf.server.audit.AuditServer.ROOT_SECRET;
import static io.wharf.server.audit.AuditServer.userArn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.audit.AuditRecord;
import io.wharf.server.cli.WharfCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecr.EcrClient;

/** The audit trail's three readers: CloudTrail's LookupEvents, {@code GET /wharf/v1/audit/events}, {@code wharf audit}. */
class AuditLookupApiTest {
    private static final String LOOKUP = CloudTrailHandler.TARGET_PREFIX + "LookupEvents";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;
    private AuditServer s;
    private String[] ops;
    private String[] nobody;

    @BeforeEach
    void start() throws Exception {
        s = new AuditServer(data, 0.0);
        ops = s.user("ops", true);
        nobody = s.user("nobody", false);
        try (EcrClient root = s.ecr(ROOT_ID, ROOT_SECRET); EcrClient op = s.ecr(ops[0], ops[1])) {
            for (String name : List.of("team/a", "team/b", "team/c")) {
                root.createRepository(b -> b.repositoryName(name));
            }
            op.describeRepositories(b -> b.repositoryNames("team/b"));
        }
        s.awaitRecords(r -> r.size() == 4);
    }

    @AfterEach
    void stop() {
        s.close();
    }

    private HttpResponse<String> lookup(String json, String[] key) throws Exception {
        return s.aws("cloudtrail", LOOKUP, json, key[0], key[1]);
    }

    @Test
    void lookupEventsAnswersAsCloudTrailDoesAndPagesWithNextToken() throws Exception {
        HttpResponse<String> r = lookup("""
                {"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"CreateRepository"}],"MaxResults":2}""",
                new String[] {ROOT_ID, ROOT_SECRET});
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode page = JSON.readTree(r.body());
        assertThat(page.get("Events")).hasSize(2);
        JsonNode first = page.get("Events").get(0);
        assertThat(first.get("EventName").asText()).isEqualTo("CreateRepository");
        assertThat(first.get("EventSource").asText()).isEqualTo("ecr.amazonaws.com");
        assertThat(first.get("Username").asText()).isEqualTo("root");
        assertThat(first.get("ReadOnly").asText()).isEqualTo("false");
        assertThat(first.get("AccessKeyId").asText()).isEqualTo(ROOT_ID);
        assertThat(first.get("EventTime").isNumber()).isTrue();
        assertThat(first.get("Resources").get(0).get("ResourceName").asText()).isEqualTo("team/c");
        JsonNode record = JSON.readTree(first.get("CloudTrailEvent").asText());
        assertThat(record.get("eventVersion").asText()).isEqualTo("1.08");
        assertThat(record.get("userIdentity").get("arn").asText()).isEqualTo(ROOT_ARN);
        assertThat(record.get("requestParameters").get("repositoryName").asText()).isEqualTo("team/c");
        assertThat(record.get("eventType").asText()).isEqualTo("AwsApiCall");
        assertThat(record.get("recipientAccountId").asText()).isEqualTo(AuditServer.ACCOUNT);

        String token = page.get("NextToken").asText();
        JsonNode rest = JSON.readTree(lookup("""
                {"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"CreateRepository"}],"MaxResults":2,
                 "NextToken":"%s"}""".formatted(token), new String[] {ROOT_ID, ROOT_SECRET}).body());
        assertThat(rest.get("Events")).singleElement().satisfies(e ->
                assertThat(e.get("Resources").get(0).get("ResourceName").asText()).isEqualTo("team/a"));
        assertThat(rest.has("NextToken")).isFalse();
    }

    @Test
    void lookupByUsernameResourceAndTime() throws Exception {
        JsonNode byUser = JSON.readTree(lookup("""
                {"LookupAttributes":[{"AttributeKey":"Username","AttributeValue":"ops"}]}""", ops).body());
        assertThat(byUser.get("Events")).singleElement().satisfies(e -> {
            assertThat(e.get("EventName").asText()).isEqualTo("DescribeRepositories");
            assertThat(e.get("ReadOnly").asText()).isEqualTo("true");
        });
        JsonNode byRepo = JSON.readTree(lookup("""
                {"LookupAttributes":[{"AttributeKey":"ResourceName",
                 "AttributeValue":"arn:aws:ecr:us-east-1:000000000000:repository/team/b"}]}""", ops).body());
        assertThat(byRepo.get("Events")).as("a call naming repositories in a list has no single resource")
                .singleElement().satisfies(e -> assertThat(e.get("EventName").asText()).isEqualTo("CreateRepository"));
        JsonNode future = JSON.readTree(lookup("{\"StartTime\":" + (System.currentTimeMillis() / 1000 + 3600) + "}", ops)
                .body());
        assertThat(future.get("Events")).isEmpty();
    }

    @Test
    void badInputIsCloudTrailShapedAndARefusedLookupIsItselfAudited() throws Exception {
        HttpResponse<String> bad = lookup("""
                {"LookupAttributes":[{"AttributeKey":"EventCategory","AttributeValue":"x"}]}""", ops);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("__type").asText()).isEqualTo("InvalidLookupAttributesException");
        assertThat(JSON.readTree(lookup("{\"MaxResults\":51}", ops).body()).get("__type").asText())
                .isEqualTo("InvalidMaxResultsException");
        assertThat(JSON.readTree(lookup("{\"NextToken\":\"!!\"}", ops).body()).get("__type").asText())
                .isEqualTo("InvalidNextTokenException");

        HttpResponse<String> refused = lookup("{}", nobody);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("__type").asText()).isEqualTo("AccessDeniedException");
        List<AuditRecord> records = s.awaitRecords(r -> r.stream().anyMatch(x -> "AccessDeniedException".equals(x.errorCode())));
        AuditRecord denied = records.stream().filter(x -> "AccessDeniedException".equals(x.errorCode())).findFirst()
                .orElseThrow();
        assertThat(denied.eventSource()).isEqualTo("cloudtrail.amazonaws.com");
        assertThat(denied.eventName()).isEqualTo("LookupEvents");
        assertThat(denied.identity().arn()).isEqualTo(userArn("nobody"));
    }

    @Test
    void wharfApiListsTheAccountsRecordsWithFilters() throws Exception {
        String auth = s.basic(ops[0], ops[1]);
        s.awaitRecords(r -> r.size() == 5); // the token's call is written a moment after its answer
        var all = s.send("GET", "/wharf/v1/audit/events?maxResults=3", auth, null, null);
        assertThat(all.statusCode()).as(new String(all.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        JsonNode page = JSON.readTree(all.body());
        assertThat(page.get("events")).hasSize(3);
        assertThat(page.get("events").get(0).get("eventName").asText()).as("newest first: ops's token")
                .isEqualTo("GetAuthorizationToken");
        JsonNode next = JSON.readTree(s.send("GET", "/wharf/v1/audit/events?maxResults=3&nextToken="
                + page.get("nextToken").asText(), auth, null, null).body());
        assertThat(next.get("events")).hasSize(2);

        JsonNode filtered = JSON.readTree(s.send("GET", "/wharf/v1/audit/events?principal=" + ROOT_ARN
                + "&repository=team/a&eventName=CreateRepository", auth, null, null).body());
        assertThat(filtered.get("events")).singleElement().satisfies(e ->
                assertThat(e.get("userIdentity").get("type").asText()).isEqualTo("Root"));
        assertThat(s.send("GET", "/wharf/v1/audit/events?startTime=yesterday", auth, null, null).statusCode())
                .isEqualTo(400);
        assertThat(s.send("GET", "/wharf/v1/audit/events", s.basic(nobody[0], nobody[1]), null, null).statusCode())
                .isEqualTo(403);
    }

    @Test
    void wharfAuditPrintsTheRecordsFromTheDatabase() throws Exception {
        String table = cli("--principal", "ops");
        assertThat(table.lines()).hasSize(2);
        assertThat(table).contains("DescribeRepositories").contains(userArn("ops"));
        String json = cli("--event-name", "CreateRepository", "--json", "--since", "1h", "--limit", "2");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : json.strip().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).hasSize(2).allSatisfy(l -> assertThat(l.get("eventName").asText()).isEqualTo("CreateRepository"));
        assertThat(cli("--repository", "team/a", "--json").strip().lines()).hasSize(1);
        StringWriter err = new StringWriter();
        assertThat(WharfCommand.execute(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err), "audit",
                "--data", data.toString(), "--since", "last week")).isEqualTo(WharfCommand.EXIT_USAGE);
    }

    private String cli(String... args) {
        List<String> all = new ArrayList<>(List.of("audit", "--data", data.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = WharfCommand.execute(Map.of(), new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        assertThat(status).as(err.toString()).isZero();
        return out.toString();
    }
}
