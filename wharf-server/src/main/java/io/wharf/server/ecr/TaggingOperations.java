package io.wharf.server.ecr;

import io.wharf.core.service.RepositoryService;
import io.wharf.server.ecr.EcrOperation.Scope;
import io.wharf.server.ecr.Shapes.TagShape;
import java.util.List;
import java.util.Map;

/** TagResource, UntagResource, ListTagsForResource: key/value tags on repositories, by repository ARN. */
final class TaggingOperations {
    private final RepositoryService repositories;

    TaggingOperations(RepositoryService repositories) {
        this.repositories = repositories;
    }

    List<EcrOperation<?>> operations() {
        return List.of(
                new EcrOperation<>("TagResource", TagResourceRequest.class, Scope.RESOURCE_ARN, this::tag),
                new EcrOperation<>("UntagResource", UntagResourceRequest.class, Scope.RESOURCE_ARN, this::untag),
                new EcrOperation<>("ListTagsForResource", ListTagsForResourceRequest.class, Scope.RESOURCE_ARN, this::list));
    }

    record TagResourceRequest(String resourceArn, List<TagShape> tags) implements EcrOperation.Arn {
    }

    record UntagResourceRequest(String resourceArn, List<String> tagKeys) implements EcrOperation.Arn {
    }

    record ListTagsForResourceRequest(String resourceArn) implements EcrOperation.Arn {
    }

    record ListTagsForResourceResponse(List<TagShape> tags) {
    }

    private Map<String, Object> tag(EcrCall call, TagResourceRequest req) {
        Map<String, String> tags = ResourceTags.parse(Check.required("tags", req.tags()));
        repositories.tag(call.repo(), tags);
        return Map.of();
    }

    private Map<String, Object> untag(EcrCall call, UntagResourceRequest req) {
        List<String> keys = Check.required("tagKeys", req.tagKeys());
        keys.forEach(ResourceTags::key);
        repositories.untag(call.repo(), keys);
        return Map.of();
    }

    private ListTagsForResourceResponse list(EcrCall call, ListTagsForResourceRequest req) {
        return new ListTagsForResourceResponse(repositories.resourceTags(call.repo()).entrySet().stream()
                .map(e -> new TagShape(e.getKey(), e.getValue())).toList());
    }
}
