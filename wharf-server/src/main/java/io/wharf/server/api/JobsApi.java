package io.wharf.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.spi.JobLeases;
import io.wharf.core.spi.JobRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The jobs resource: their states as the database holds them, and run requests written into it (whichever
 * process holds the job's lease, this one or another node, picks the request up at its next poll). Authorized on
 * {@code arn:aws:wharf:<region>:<account>:job/<name>} ({@code job/*} to list).
 */
final class JobsApi {
    static final String LIST = "wharf:ListJobs";
    static final String DESCRIBE = "wharf:DescribeJob";
    static final String RUN = "wharf:RunJob";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private final JobLeases leases;
    private final Clock clock;
    private final String region;
    private final String account;

    JobsApi(JobLeases leases, Clock clock, String region, String account) {
        this.leases = leases;
        this.clock = clock;
        this.region = region;
        this.account = account;
    }

    /** {@code GET jobs}: {@code {"jobs":[…]}}, by name. */
    ApiReply list(ApiCall call) {
        call.allow(LIST, WharfApiHandler.jobArn(region, account, "*"));
        ObjectNode root = JSON.createObjectNode();
        ArrayNode jobs = root.putArray("jobs");
        Instant now = clock.instant();
        leases.listJobs().forEach(j -> jobs.add(json(j, now)));
        return ApiReply.json(root.toString());
    }

    /** {@code GET jobs/<name>}. */
    ApiReply describe(ApiCall call) {
        String name = allowed(call, DESCRIBE);
        return ApiReply.json(json(find(name), clock.instant()).toString());
    }

    /** {@code POST jobs/<name>/run}: records a run-now request; answers the job as it stands. */
    ApiReply run(ApiCall call) {
        String name = allowed(call, RUN);
        find(name);
        Instant now = clock.instant();
        if (!leases.requestJobRun(name, now)) {
            throw unknown(name);
        }
        return ApiReply.json(json(find(name), now).toString());
    }

    /** The job named in the path, once the caller may perform {@code action} on it (404 for a name no job has). */
    private String allowed(ApiCall call, String action) {
        String name = call.param("job");
        if (!validName(name)) {
            throw unknown(name);
        }
        call.allow(action, WharfApiHandler.jobArn(region, account, name));
        return name;
    }

    static boolean validName(String name) {
        return NAME.matcher(name).matches();
    }

    private JobRecord find(String name) {
        if (!validName(name)) {
            throw unknown(name);
        }
        return leases.findJob(name).orElseThrow(() -> unknown(name));
    }

    private static ApiProblem unknown(String name) {
        return new ApiProblem(ApiError.NOT_FOUND, "no job named " + name);
    }

    /** One job; {@code state} is running, idle, or abandoned (held under an expired lease: its runner died). */
    static ObjectNode json(JobRecord j, Instant now) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", j.name());
        o.put("state", !j.running() ? "idle" : j.leaseExpiresAt().isBefore(now) ? "abandoned" : "running");
        o.put("intervalSeconds", j.interval().toSeconds());
        o.put("owner", j.owner());
        o.put("leaseExpiresAt", text(j.leaseExpiresAt()));
        ObjectNode last = o.putObject("lastRun");
        last.put("startedAt", text(j.lastStartedAt()));
        last.put("endedAt", text(j.lastEndedAt()));
        last.put("result", j.lastOutcome() == null ? null : j.lastOutcome().name().toLowerCase(java.util.Locale.ROOT));
        last.put("message", j.lastMessage());
        ObjectNode counters = o.putObject("counters");
        j.counters().forEach(counters::put);
        o.put("nextDueAt", text(j.nextDueAt()));
        o.put("runRequestedAt", text(j.runRequestedAt()));
        return o;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
