package io.wharf.server.ecr;

import static io.wharf.server.ecr.EcrOperation.repository;

import io.wharf.core.lifecycle.ActionType;
import io.wharf.core.lifecycle.LifecyclePolicy;
import io.wharf.core.service.ImageQuery;
import io.wharf.core.service.LifecyclePreview;
import io.wharf.core.service.LifecycleService;
import io.wharf.core.spi.TagStatus;
import io.wharf.server.ecr.ImageOperations.Filter;
import io.wharf.server.ecr.Shapes.ImageIdShape;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * Start/GetLifecyclePolicyPreview. A preview is evaluated when it is started (the same selection a run makes at
 * that instant) and stored, so Start answers COMPLETE and Get pages the stored result.
 */
final class LifecyclePreviewOperations {
    private static final String COMPLETE = "COMPLETE";
    private static final int MAX_RESULTS = 100;

    private final LifecycleService lifecycle;
    private final int maxChars;

    LifecyclePreviewOperations(LifecycleService lifecycle, int maxChars) {
        this.lifecycle = lifecycle;
        this.maxChars = maxChars;
    }

    List<EcrOperation<?>> operations() {
        return List.of(
                repository("StartLifecyclePolicyPreview", StartRequest.class, this::start),
                repository("GetLifecyclePolicyPreview", GetRequest.class, this::get));
    }

    record StartRequest(String registryId, String repositoryName, String lifecyclePolicyText) implements EcrRequest.Repo {
    }

    record StartResponse(String registryId, String repositoryName, String lifecyclePolicyText, String status) {
    }

    record GetRequest(String registryId, String repositoryName, List<ImageIdShape> imageIds, String nextToken,
                      Integer maxResults, Filter filter) implements EcrRequest.Repo {
    }

    record GetResponse(String registryId, String repositoryName, String lifecyclePolicyText, String status,
                       String nextToken, List<ResultShape> previewResults, SummaryShape summary) {
    }

    record ResultShape(List<String> imageTags, String imageDigest, Instant imagePushedAt, ActionShape action,
                       int appliedRulePriority, String storageClass) {
    }

    record ActionShape(String type, String targetStorageClass) {
    }

    record SummaryShape(long expiringImageTotalCount, List<TransitionCount> transitioningImageTotalCounts) {
    }

    record TransitionCount(String targetStorageClass, long imageTotalCount) {
    }

    private StartResponse start(EcrCall call, StartRequest req) {
        LifecyclePolicy draft = req.lifecyclePolicyText() == null ? null
                : LifecycleOperations.parse(req.lifecyclePolicyText(), maxChars);
        LifecyclePreview preview = lifecycle.startPreview(call.repo(), draft);
        return new StartResponse(call.account(), call.repo().name().value(), preview.policyText(), COMPLETE);
    }

    private GetResponse get(EcrCall call, GetRequest req) {
        Check.noPagingWith("imageIds", req.imageIds(), req.nextToken(), req.maxResults());
        LifecyclePreview preview = lifecycle.preview(call.repo());
        List<LifecyclePreview.Result> selected = preview.results().stream().filter(byTagStatus(req.filter()))
                .filter(byIds(req.imageIds())).toList();
        int size = req.imageIds() != null ? selected.size() : Check.maxResults(req.maxResults(), MAX_RESULTS);
        // bound to this preview: a token of an earlier preview is refused, not misread
        String scope = PageToken.scope("GetLifecyclePolicyPreview", call.account(), call.repo().name().value(),
                req.filter() == null ? null : req.filter().tagStatus(), preview.evaluatedAt().toEpochMilli());
        int from = offset(PageToken.decode(scope, req.nextToken()), selected.size());
        int to = Math.min(selected.size(), from + size);
        String next = to < selected.size() ? PageToken.encode(scope, Integer.toString(to)) : null;
        return new GetResponse(call.account(), call.repo().name().value(), preview.policyText(), COMPLETE, next,
                selected.subList(from, to).stream().map(LifecyclePreviewOperations::shape).toList(), summary(preview));
    }

    private static Predicate<LifecyclePreview.Result> byTagStatus(Filter filter) {
        TagStatus status = filter == null ? null : Check.choice("filter.tagStatus", filter.tagStatus(), TagStatus.class);
        return r -> status == null || status == TagStatus.ANY || (status == TagStatus.UNTAGGED) == r.tags().isEmpty();
    }

    private static Predicate<LifecyclePreview.Result> byIds(List<ImageIdShape> ids) {
        if (ids == null) {
            return r -> true;
        }
        List<ImageQuery> queries = Check.size("imageIds", ids, 1, 100).stream().map(ImageIds::strict).toList();
        return r -> queries.stream().anyMatch(q -> (q.digest() == null || q.digest().toString().equals(r.digest()))
                && (q.tag() == null || r.tags().contains(q.tag().value())));
    }

    private static int offset(String cursor, int size) {
        if (cursor == null) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(cursor);
            if (offset >= 0 && offset <= size) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // the one error below
        }
        throw EcrProblem.constraint("nextToken", "Invalid pagination token");
    }

    private static ResultShape shape(LifecyclePreview.Result r) {
        ActionShape action = r.action() == ActionType.EXPIRE ? new ActionShape("EXPIRE", null)
                : new ActionShape("TRANSITION", "ARCHIVE");
        return new ResultShape(r.tags().isEmpty() ? null : r.tags(), r.digest(), r.pushedAt(), action, r.rulePriority(),
                "STANDARD");
    }

    private static SummaryShape summary(LifecyclePreview preview) {
        long transitioning = preview.count(ActionType.TRANSITION);
        return new SummaryShape(preview.count(ActionType.EXPIRE),
                transitioning == 0 ? List.of() : List.of(new TransitionCount("ARCHIVE", transitioning)));
    }
}
