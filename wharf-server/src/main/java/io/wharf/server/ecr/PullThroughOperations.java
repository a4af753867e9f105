package io.wharf.server.ecr;

import static io.wharf.server.ecr.EcrOperation.registry;

import io.wharf.core.pullthrough.PullThroughService;
import io.wharf.core.pullthrough.RuleRequest;
import io.wharf.core.spi.PullThroughIndex.Rule;
import java.time.Instant;
import java.util.List;

/**
 * Create/Describe/Update/Delete/ValidatePullThroughCacheRule (§3.7). Rules are registry-level: IAM authorizes
 * {@code ecr:<Operation>} on {@code *}. Responses carry ARNs, never a secret's contents.
 */
final class PullThroughOperations {
    private static final int MAX_PAGE = 1000;

    private final PullThroughService rules;

    PullThroughOperations(PullThroughService rules) {
        this.rules = rules;
    }

    List<EcrOperation<?>> operations() {
        return List.of(
                registry("CreatePullThroughCacheRule", CreateRequest.class, this::create),
                registry("DescribePullThroughCacheRules", DescribeRequest.class, this::describe),
                registry("UpdatePullThroughCacheRule", UpdateRequest.class, this::update),
                registry("DeletePullThroughCacheRule", PrefixRequest.class, this::delete),
                registry("ValidatePullThroughCacheRule", PrefixRequest.class, this::validate));
    }

    /** ECR's PullThroughCacheRule shape, also the Create and Delete responses. */
    record RuleShape(String ecrRepositoryPrefix, String upstreamRegistryUrl, Instant createdAt, Instant updatedAt,
                     String registryId, String credentialArn, String customRoleArn, String upstreamRegistry,
                     String upstreamRepositoryPrefix) {
        static RuleShape of(Rule r) {
            return new RuleShape(r.prefix(), r.upstreamRegistryUrl(), r.createdAt(), r.updatedAt(), r.account(),
                    r.credentialArn(), r.customRoleArn(), r.upstreamRegistry(), r.upstreamRepositoryPrefix());
        }
    }

    record CreateRequest(String registryId, String ecrRepositoryPrefix, String upstreamRegistryUrl,
                         String upstreamRegistry, String credentialArn, String customRoleArn,
                         String upstreamRepositoryPrefix) implements EcrRequest {
    }

    private RuleShape create(EcrCall call, CreateRequest req) {
        Rule r = rules.create(call.account(), new RuleRequest(req.ecrRepositoryPrefix(), req.upstreamRegistryUrl(),
                req.upstreamRegistry(), req.credentialArn(), req.customRoleArn(), req.upstreamRepositoryPrefix()));
        return RuleShape.of(r);
    }

    record DescribeRequest(String registryId, List<String> ecrRepositoryPrefixes, String nextToken, Integer maxResults)
            implements EcrRequest {
    }

    record DescribeResponse(List<RuleShape> pullThroughCacheRules, String nextToken) {
    }

    private DescribeResponse describe(EcrCall call, DescribeRequest req) {
        Check.noPagingWith("ecrRepositoryPrefixes", req.ecrRepositoryPrefixes(), req.nextToken(), req.maxResults());
        if (req.ecrRepositoryPrefixes() != null) {
            Check.size("ecrRepositoryPrefixes", req.ecrRepositoryPrefixes(), 1, 100);
            return new DescribeResponse(shapes(rules.describe(call.account(), req.ecrRepositoryPrefixes())), null);
        }
        int size = Check.maxResults(req.maxResults(), MAX_PAGE);
        String scope = PageToken.scope("DescribePullThroughCacheRules", call.account());
        String after = PageToken.decode(scope, req.nextToken());
        List<Rule> all = rules.describe(call.account(), null).stream()
                .filter(r -> after == null || r.prefix().compareTo(after) > 0).toList();
        List<Rule> page = all.subList(0, Math.min(size, all.size()));
        String next = all.size() > size ? PageToken.encode(scope, page.getLast().prefix()) : null;
        return new DescribeResponse(shapes(page), next);
    }

    private static List<RuleShape> shapes(List<Rule> list) {
        return list.stream().map(RuleShape::of).toList();
    }

    record UpdateRequest(String registryId, String ecrRepositoryPrefix, String credentialArn, String customRoleArn)
            implements EcrRequest {
    }

    record UpdateResponse(String ecrRepositoryPrefix, String registryId, Instant updatedAt, String credentialArn,
                          String customRoleArn, String upstreamRepositoryPrefix) {
    }

    private UpdateResponse update(EcrCall call, UpdateRequest req) {
        Rule r = rules.update(call.account(), req.ecrRepositoryPrefix(), req.credentialArn(), req.customRoleArn());
        return new UpdateResponse(r.prefix(), r.account(), r.updatedAt(), r.credentialArn(), r.customRoleArn(),
                r.upstreamRepositoryPrefix());
    }

    record PrefixRequest(String registryId, String ecrRepositoryPrefix) implements EcrRequest {
    }

    private RuleShape delete(EcrCall call, PrefixRequest req) {
        return RuleShape.of(rules.delete(call.account(), req.ecrRepositoryPrefix()));
    }

    record ValidateResponse(String ecrRepositoryPrefix, String registryId, String upstreamRegistryUrl,
                            String credentialArn, String customRoleArn, String upstreamRepositoryPrefix,
                            Boolean isValid, String failure) {
    }

    private ValidateResponse validate(EcrCall call, PrefixRequest req) {
        PullThroughService.Validation v = rules.validate(call.account(), req.ecrRepositoryPrefix());
        Rule r = v.rule();
        return new ValidateResponse(r.prefix(), r.account(), r.upstreamRegistryUrl(), r.credentialArn(),
                r.customRoleArn(), r.upstreamRepositoryPrefix(), v.valid(), v.failure());
    }
}
