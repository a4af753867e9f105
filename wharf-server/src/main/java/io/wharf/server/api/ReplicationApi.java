package io.wharf.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.replication.ReplicationService;
import io.wharf.core.replication.ReplicationService.BackfillProgress;
import io.wharf.core.spi.ReplicationIndex.Backfill;

/**
 * Replication backfills (docs/replication.md): {@code POST replication/backfills} starts one for the caller's account,
 * {@code GET replication/backfills} lists the latest, {@code GET replication/backfills/<id>} shows one with its
 * progress. Actions {@value #START} and {@value #DESCRIBE} on {@code arn:aws:wharf:<region>:<account>:replication/backfill}.
 */
final class ReplicationApi {
    static final String START = "wharf:StartReplicationBackfill";
    static final String DESCRIBE = "wharf:DescribeReplicationBackfills";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LIST_LIMIT = 50;

    private final ReplicationService replication;
    private final String region;

    ReplicationApi(ReplicationService replication, String region) {
        this.replication = replication;
        this.region = region;
    }

    private static String arn(String region, String account) {
        return "arn:aws:wharf:" + region + ":" + account + ":replication/backfill";
    }

    ApiReply start(ApiCall call) {
        String account = allowed(call, START);
        return ApiReply.json(shape(replication.startBackfill(account)).toString());
    }

    ApiReply list(ApiCall call) {
        String account = allowed(call, DESCRIBE);
        ObjectNode out = JSON.createObjectNode();
        var list = out.putArray("backfills");
        replication.backfills(account, LIST_LIMIT).forEach(b -> list.add(shape(b)));
        return ApiReply.json(out.toString());
    }

    ApiReply describe(ApiCall call) {
        String account = allowed(call, DESCRIBE);
        String id = call.param("id");
        long parsed;
        try {
            parsed = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new ApiProblem(ApiError.NOT_FOUND, "no backfill " + id);
        }
        return ApiReply.json(replication.backfill(account, parsed).map(ReplicationApi::shape)
                .orElseThrow(() -> new ApiProblem(ApiError.NOT_FOUND, "no backfill " + id)).toString());
    }

    /** The caller's account, once it may perform {@code action} on its backfills. */
    private String allowed(ApiCall call, String action) {
        String account = call.caller().account();
        call.allow(action, arn(region, account));
        return account;
    }

    private static ObjectNode shape(BackfillProgress p) {
        Backfill b = p.backfill();
        ObjectNode out = JSON.createObjectNode().put("id", b.id()).put("account", b.account()).put("state", b.state())
                .put("createdAt", b.createdAt().toString())
                .put("finishedAt", b.finishedAt() == null ? null : b.finishedAt().toString())
                .put("repositoriesDoneThrough", b.after() == null ? null : b.after().value())
                .put("images", b.images()).put("queued", b.queued());
        ObjectNode tasks = out.putObject("tasks");
        p.tasks().forEach((status, count) -> tasks.put(status.name(), count));
        return out;
    }
}
