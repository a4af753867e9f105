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
 * process holds the job's lease, this one or another node, picks the request up at its next poll).
 */
final class JobsApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private final JobLeases leases;
    private final Clock clock;

    JobsApi(JobLeases leases, Clock clock) {
        this.leases = leases;
        this.clock = clock;
    }

    /** {@code {"jobs":[…]}}, by name. */
    String list() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode jobs = root.putArray("jobs");
        Instant now = clock.instant();
        leases.listJobs().forEach(j -> jobs.add(json(j, now)));
        return root.toString();
    }

    String describe(String name) {
        return json(find(name), clock.instant()).toString();
    }

    /** Records a run-now request; returns the job as it stands. */
    String requestRun(String name) {
        find(name);
        Instant now = clock.instant();
        if (!leases.requestJobRun(name, now)) {
            throw unknown(name);
        }
        return json(find(name), now).toString();
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
