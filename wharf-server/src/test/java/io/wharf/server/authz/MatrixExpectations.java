package io.wharf.server.authz;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The authorization matrix: every operation and route of every API × every {@link MatrixPrincipal}, ALLOW ({@code A})
 * or DENY ({@code D}). Requests name this account's repository {@link MatrixServer#REPO} (and {@code registryId} this
 * account), so another account's caller is cross-account there, with no resource policy granting it: denied. Where an
 * operation acts on the caller's own account whatever the request says (registry-level ECR operations without a
 * {@code registryId}, GetAuthorizationToken, webhooks, backfills, the audit trail), another account's {@code *}
 * allows it: that is its own registry. {@code ecr:*} (the role) grants neither {@code ecr-public:} nor {@code wharf:}
 * actions; {@code *} (the admin, the other account's user) grants both.
 *
 * <p>Columns: anon, none (a user with no policy), pull, push, admin, other (another account's {@code *}), sess
 * (GetSessionToken without MFA of a user whose push needs MFA), mfa (the same with MFA), role (AssumeRole, {@code ecr:*}).
 */
final class MatrixExpectations {
    enum Api { ECR, ECR_PUBLIC, OCI, OCI_PUBLIC_REPO, WHARF, STS, SECRETS_MANAGER, CLOUDTRAIL, CONSOLE }

    enum Expect { ALLOW, DENY }

    record Row(Api api, String operation, Map<MatrixPrincipal, Expect> expect) {
        @Override
        public String toString() {
            return api + " " + operation;
        }
    }

    static final List<Row> ROWS = List.of(
            //                                              anon none pull push admin other sess mfa role
            // ---- ECR: pulling
            row(Api.ECR, "BatchGetImage",                   "D    D    A    D    A     D     A    A   A"),
            row(Api.ECR, "GetDownloadUrlForLayer",          "D    D    A    D    A     D     A    A   A"),
            row(Api.ECR, "BatchCheckLayerAvailability",     "D    D    A    A    A     D     A    A   A"),
            row(Api.ECR, "GetAuthorizationToken",           "D    D    A    A    A     A     A    A   A"),
            // ---- ECR: pushing (the MFA user's push needs aws:MultiFactorAuthPresent)
            row(Api.ECR, "InitiateLayerUpload",             "D    D    D    A    A     D     D    A   A"),
            row(Api.ECR, "UploadLayerPart",                 "D    D    D    A    A     D     D    A   A"),
            row(Api.ECR, "CompleteLayerUpload",             "D    D    D    A    A     D     D    A   A"),
            row(Api.ECR, "PutImage",                        "D    D    D    A    A     D     D    A   A"),
            // ---- ECR: reading metadata (ecr:Describe*, ecr:List*)
            row(Api.ECR, "DescribeRepositories",            "D    D    A    D    A     D     A    A   A"),
            row(Api.ECR, "DescribeImages",                  "D    D    A    D    A     D     A    A   A"),
            row(Api.ECR, "ListImages",                      "D    D    A    D    A     D     A    A   A"),
            row(Api.ECR, "ListTagsForResource",             "D    D    A    D    A     D     A    A   A"),
            row(Api.ECR, "DescribeImageScanFindings",       "D    D    A    D    A     D     A    A   A"),
            row(Api.ECR, "DescribeImageReplicationStatus",  "D    D    A    D    A     D     A    A   A"),
            row(Api.ECR, "DescribePullThroughCacheRules",   "D    D    A    D    A     D     A    A   A"),
            row(Api.ECR, "DescribeRegistry",                "D    D    A    D    A     A     A    A   A"),
            row(Api.ECR, "DescribeRepositoryCreationTemplates", "D D    A    D    A     A     A    A   A"),
            // ---- ECR: administering a repository
            row(Api.ECR, "CreateRepository",                "D    D    D    D    A     D     D    D   A"),
            row(Api.ECR, "DeleteRepository",                "D    D    D    D    A     D     D    D   A"),
            row(Api.ECR, "BatchDeleteImage",                "D    D    D    D    A     D     D    D   A"),
            row(Api.ECR, "SetRepositoryPolicy",             "D    D    D    D    A     D     D    D   A"),
            row(Api.ECR, "GetRepositoryPolicy",             "D    D    D    D    A     D     D    D   A"),
            row(Api.ECR, "DeleteRepositoryPolicy",          "D    D    D    D    A     D     D    D   A"),
            row(Api.ECR, "PutLifecyclePolicy",              "D    D    D    D    A     D     D    D   A"),
            row(Api.ECR, "GetLifecyclePolicy",              "D    D    D    D    A     D     D    D   A"),
            row(Api.ECR, "DeleteLifecyclePolicy",           "D    D    D    D    A     D     D    D   A"),
            row(Api.ECR, "StartLifecyclePolicyPreview",     "D    D    D    D    A     D     D    D   A"),
            row(Api.ECR, "GetLifecyclePolicyPreview",       "D    D    D    D    A     D     D    D   A"),
            row(Api.ECR, "PutImageTagMutability",           "D    D    D    D    A     D     D    D   A"),
            row(Api.ECR, "PutImageScanningConfiguration",   "D    D    D    D    A     D     D    D   A"),
            row(Api.ECR, "StartImageScan",                  "D    D    D    D    A     D     D    D   A"),
            row(Api.ECR, "TagResource",                     "D    D    D    D    A     D     D    D   A"),
            row(Api.ECR, "UntagResource",                   "D    D    D    D    A     D     D    D   A"),
            // names repositories but no registry (as in ECR): another account's caller reads its own
            row(Api.ECR, "BatchGetRepositoryScanningConfiguration",
                                                            "D    D    D    D    A     A     D    D   A"),
            // ---- ECR: the registry (another account's caller acts on its own registry unless it names ours)
            row(Api.ECR, "GetRegistryPolicy",               "D    D    D    D    A     A     D    D   A"),
            row(Api.ECR, "PutRegistryPolicy",               "D    D    D    D    A     A     D    D   A"),
            row(Api.ECR, "DeleteRegistryPolicy",            "D    D    D    D    A     A     D    D   A"),
            row(Api.ECR, "GetRegistryScanningConfiguration", "D   D    D    D    A     A     D    D   A"),
            row(Api.ECR, "PutRegistryScanningConfiguration", "D   D    D    D    A     A     D    D   A"),
            row(Api.ECR, "PutReplicationConfiguration",     "D    D    D    D    A     A     D    D   A"),
            row(Api.ECR, "GetAccountSetting",               "D    D    D    D    A     A     D    D   A"),
            row(Api.ECR, "PutAccountSetting",               "D    D    D    D    A     A     D    D   A"),
            row(Api.ECR, "PutSigningConfiguration",         "D    D    D    D    A     A     D    D   A"),
            row(Api.ECR, "GetSigningConfiguration",         "D    D    D    D    A     A     D    D   A"),
            row(Api.ECR, "DeleteSigningConfiguration",      "D    D    D    D    A     A     D    D   A"),
            row(Api.ECR, "DescribeImageSigningStatus",      "D    D    A    D    A     D     A    A   A"),
            row(Api.ECR, "CreateRepositoryCreationTemplate", "D   D    D    D    A     A     D    D   A"),
            row(Api.ECR, "UpdateRepositoryCreationTemplate", "D   D    D    D    A     A     D    D   A"),
            row(Api.ECR, "DeleteRepositoryCreationTemplate", "D   D    D    D    A     A     D    D   A"),
            // pull-through rules take a registryId: naming ours is cross-account
            row(Api.ECR, "CreatePullThroughCacheRule",      "D    D    D    D    A     D     D    D   A"),
            row(Api.ECR, "UpdatePullThroughCacheRule",      "D    D    D    D    A     D     D    D   A"),
            row(Api.ECR, "DeletePullThroughCacheRule",      "D    D    D    D    A     D     D    D   A"),
            row(Api.ECR, "ValidatePullThroughCacheRule",    "D    D    D    D    A     D     D    D   A"),
            // ---- ECR Public (ecr-public:*; ecr:* does not grant it)
            // CreateRepository names no registry: another account's caller creates it in its own
            row(Api.ECR_PUBLIC, "CreateRepository",         "D    D    D    D    A     A     D    D   D"),
            row(Api.ECR_PUBLIC, "DescribeRepositories",     "D    D    D    D    A     D     D    D   D"),
            row(Api.ECR_PUBLIC, "DeleteRepository",         "D    D    D    D    A     D     D    D   D"),
            row(Api.ECR_PUBLIC, "GetRepositoryCatalogData", "D    D    D    D    A     D     D    D   D"),
            row(Api.ECR_PUBLIC, "PutRepositoryCatalogData", "D    D    D    D    A     D     D    D   D"),
            row(Api.ECR_PUBLIC, "GetAuthorizationToken",    "D    D    D    D    A     A     D    D   D"),
            row(Api.ECR_PUBLIC, "DescribeRegistries",       "D    D    D    D    A     A     D    D   D"),
            row(Api.ECR_PUBLIC, "GetRegistryCatalogData",   "D    D    D    D    A     A     D    D   D"),
            // ---- OCI /v2/ on a private repository (anonymous: 401 with the challenge)
            row(Api.OCI, "GetBase",                         "D    A    A    A    A     A     A    A   A"),
            row(Api.OCI, "HeadBase",                        "D    A    A    A    A     A     A    A   A"),
            row(Api.OCI, "ListCatalog",                     "D    D    A    D    A     D     A    A   A"),
            row(Api.OCI, "ListTags",                        "D    D    A    D    A     D     A    A   A"),
            row(Api.OCI, "GetManifest",                     "D    D    A    D    A     D     A    A   A"),
            row(Api.OCI, "HeadManifest",                    "D    D    A    D    A     D     A    A   A"),
            row(Api.OCI, "ListReferrers",                   "D    D    A    D    A     D     A    A   A"),
            row(Api.OCI, "GetBlob",                         "D    D    A    D    A     D     A    A   A"),
            row(Api.OCI, "HeadBlob",                        "D    D    A    A    A     D     A    A   A"),
            row(Api.OCI, "PutManifest",                     "D    D    D    A    A     D     D    A   A"),
            row(Api.OCI, "StartUpload",                     "D    D    D    A    A     D     D    A   A"),
            row(Api.OCI, "GetUploadStatus",                 "D    D    D    A    A     D     D    A   A"),
            row(Api.OCI, "PatchUpload",                     "D    D    D    A    A     D     D    A   A"),
            row(Api.OCI, "CompleteUpload",                  "D    D    D    A    A     D     D    A   A"),
            row(Api.OCI, "CancelUpload",                    "D    D    D    A    A     D     D    A   A"),
            row(Api.OCI, "DeleteManifest",                  "D    D    D    D    A     D     D    D   A"),
            row(Api.OCI, "DeleteBlob",                      "D    D    D    D    A     D     D    D   A"),
            // ---- OCI /v2/ on a public repository: anyone reads it, with or without credentials (as ECR Public); writes
            // are authorized as on any repository
            row(Api.OCI_PUBLIC_REPO, "ListTags",            "A    A    A    A    A     A     A    A   A"),
            row(Api.OCI_PUBLIC_REPO, "GetManifest",         "A    A    A    A    A     A     A    A   A"),
            row(Api.OCI_PUBLIC_REPO, "HeadManifest",        "A    A    A    A    A     A     A    A   A"),
            row(Api.OCI_PUBLIC_REPO, "ListReferrers",       "A    A    A    A    A     A     A    A   A"),
            row(Api.OCI_PUBLIC_REPO, "GetBlob",             "A    A    A    A    A     A     A    A   A"),
            row(Api.OCI_PUBLIC_REPO, "HeadBlob",            "A    A    A    A    A     A     A    A   A"),
            row(Api.OCI_PUBLIC_REPO, "PutManifest",         "D    D    D    A    A     D     D    A   A"),
            // ---- Wharf's API (wharf:* actions: * grants them, ecr:* does not)
            row(Api.WHARF, "GET jobs",                      "D    D    D    D    A     D     D    D   D"),
            row(Api.WHARF, "GET jobs/{job}",                "D    D    D    D    A     D     D    D   D"),
            row(Api.WHARF, "POST jobs/{job}/run",           "D    D    D    D    A     D     D    D   D"),
            row(Api.WHARF, "GET usage",                     "D    D    D    D    A     D     D    D   D"),
            row(Api.WHARF, "GET repositories/{name}/usage", "D    D    D    D    A     D     D    D   D"),
            row(Api.WHARF, "GET audit/events",              "D    D    D    D    A     A     D    D   D"),
            row(Api.WHARF, "GET repositories/{name}/images/{digest}/insight",
                                                            "D    D    A    D    A     D     A    A   A"),
            row(Api.WHARF, "GET repositories/{name}/images/{digest}/insight/layers/{layer}",
                                                            "D    D    A    D    A     D     A    A   A"),
            row(Api.WHARF, "GET repositories/{name}/sbom/{digest}",
                                                            "D    D    A    D    A     D     A    A   A"),
            row(Api.WHARF, "GET repositories/{name}/public", "D   D    A    D    A     D     A    A   A"),
            row(Api.WHARF, "PUT repositories/{name}/public", "D   D    D    D    A     D     D    D   D"),
            row(Api.WHARF, "DELETE repositories/{name}/public", "D D    D    D    A     D     D    D   D"),
            row(Api.WHARF, "GET repositories/{name}/images/{digest}/signatures",
                                                            "D    D    A    D    A     D     A    A   A"),
            row(Api.WHARF, "GET repositories/{name}/signature-policy", "D D   D    D    A     D     D    D   D"),
            row(Api.WHARF, "PUT repositories/{name}/signature-policy", "D D   D    D    A     D     D    D   D"),
            row(Api.WHARF, "DELETE repositories/{name}/signature-policy", "D D D    D    A     D     D    D   D"),
            row(Api.WHARF, "GET replication/backfills",     "D    D    D    D    A     A     D    D   D"),
            row(Api.WHARF, "POST replication/backfills",    "D    D    D    D    A     A     D    D   D"),
            row(Api.WHARF, "GET replication/backfills/{id}", "D   D    D    D    A     A     D    D   D"),
            row(Api.WHARF, "GET webhooks",                  "D    D    D    D    A     A     D    D   D"),
            row(Api.WHARF, "POST webhooks",                 "D    D    D    D    A     A     D    D   D"),
            row(Api.WHARF, "GET webhooks/{id}",             "D    D    D    D    A     A     D    D   D"),
            row(Api.WHARF, "PATCH webhooks/{id}",           "D    D    D    D    A     A     D    D   D"),
            row(Api.WHARF, "DELETE webhooks/{id}",          "D    D    D    D    A     A     D    D   D"),
            row(Api.WHARF, "POST webhooks/{id}/test",       "D    D    D    D    A     A     D    D   D"),
            row(Api.WHARF, "POST webhooks/{id}/replay",     "D    D    D    D    A     A     D    D   D"),
            row(Api.WHARF, "GET gallery",                   "A    A    A    A    A     A     A    A   A"),
            row(Api.WHARF, "GET gallery/logo/{name}",       "A    A    A    A    A     A     A    A   A"),
            // ---- STS: GetSessionToken needs no permission but long-term credentials; AssumeRole needs
            // sts:AssumeRole and the trust policy (this account); AssumeRoleWithWebIdentity takes no credentials,
            // so its answers are input errors (a bad token; credentials sent), never an authorization refusal
            row(Api.STS, "GetCallerIdentity",               "D    A    A    A    A     A     A    A   A"),
            row(Api.STS, "GetSessionToken",                 "D    A    A    A    A     A     D    D   D"),
            row(Api.STS, "AssumeRole",                      "D    D    D    D    A     D     D    D   D"),
            row(Api.STS, "AssumeRoleWithWebIdentity",       "A    A    A    A    A     A     A    A   A"),
            // ---- Secrets Manager and CloudTrail act on the caller's own account (secretsmanager:*, cloudtrail:*)
            row(Api.SECRETS_MANAGER, "CreateSecret",        "D    D    D    D    A     A     D    D   D"),
            row(Api.SECRETS_MANAGER, "PutSecretValue",      "D    D    D    D    A     A     D    D   D"),
            row(Api.SECRETS_MANAGER, "DescribeSecret",      "D    D    D    D    A     A     D    D   D"),
            row(Api.SECRETS_MANAGER, "ListSecrets",         "D    D    D    D    A     A     D    D   D"),
            row(Api.SECRETS_MANAGER, "DeleteSecret",        "D    D    D    D    A     A     D    D   D"),
            row(Api.SECRETS_MANAGER, "GetSecretValue",      "D    D    D    D    A     A     D    D   D"),
            row(Api.SECRETS_MANAGER, "BatchGetSecretValue", "D    D    D    D    A     A     D    D   D"),
            row(Api.CLOUDTRAIL, "LookupEvents",             "D    D    D    D    A     A     D    D   D"),
            // ---- the console: a user signs in with its registry password, whatever its policy; temporary credentials
            // cannot (IamAuth.authenticatePassword: a console session would not carry their session policy and MFA), so
            // the sessions' columns are those of a visitor without a console session. Its pages show the caller's own
            // account, so another account's * is allowed there and sees none of this one
            row(Api.CONSOLE, "SignInForm",                  "A    A    A    A    A     A     A    A   A"),
            row(Api.CONSOLE, "SignIn",                      "D    A    A    A    A     A     D    D   D"),
            row(Api.CONSOLE, "SignOut",                     "D    A    A    A    A     A     D    D   D"),
            row(Api.CONSOLE, "Repositories",                "D    A    A    A    A     A     D    D   D"),
            row(Api.CONSOLE, "Images",                      "D    D    A    D    A     A     D    D   D"),
            row(Api.CONSOLE, "Image",                       "D    D    A    D    A     A     D    D   D"),
            row(Api.CONSOLE, "LayerInsight",                "D    D    A    D    A     A     D    D   D"),
            row(Api.CONSOLE, "LayerTree",                   "D    D    A    D    A     A     D    D   D"),
            row(Api.CONSOLE, "ConfirmDeleteImage",          "D    D    D    D    A     A     D    D   D"),
            row(Api.CONSOLE, "DeleteImage",                 "D    D    D    D    A     A     D    D   D"),
            row(Api.CONSOLE, "RepositoryPolicy",            "D    D    D    D    A     A     D    D   D"),
            row(Api.CONSOLE, "SetRepositoryPolicy",         "D    D    D    D    A     A     D    D   D"),
            row(Api.CONSOLE, "ConfirmDeleteRepositoryPolicy", "D    D    D    D    A     A     D    D   D"),
            row(Api.CONSOLE, "DeleteRepositoryPolicy",      "D    D    D    D    A     A     D    D   D"),
            row(Api.CONSOLE, "LifecyclePolicy",             "D    D    D    D    A     A     D    D   D"),
            row(Api.CONSOLE, "PutLifecyclePolicy",          "D    D    D    D    A     A     D    D   D"),
            row(Api.CONSOLE, "ConfirmDeleteLifecyclePolicy", "D    D    D    D    A     A     D    D   D"),
            row(Api.CONSOLE, "DeleteLifecyclePolicy",       "D    D    D    D    A     A     D    D   D"),
            row(Api.CONSOLE, "PreviewLifecyclePolicy",      "D    D    D    D    A     A     D    D   D"),
            row(Api.CONSOLE, "Settings",                    "D    D    A    D    A     A     D    D   D"),
            row(Api.CONSOLE, "RegistryPolicy",              "D    D    D    D    A     A     D    D   D"),
            row(Api.CONSOLE, "PutRegistryPolicy",           "D    D    D    D    A     A     D    D   D"),
            row(Api.CONSOLE, "ConfirmDeleteRegistryPolicy", "D    D    D    D    A     A     D    D   D"),
            row(Api.CONSOLE, "DeleteRegistryPolicy",        "D    D    D    D    A     A     D    D   D"),
            // user administration is IAM's (iam:*): ecr:* does not grant it
            row(Api.CONSOLE, "Users",                       "D    D    D    D    A     A     D    D   D"),
            row(Api.CONSOLE, "CreateUser",                  "D    D    D    D    A     A     D    D   D"),
            row(Api.CONSOLE, "User",                        "D    D    D    D    A     A     D    D   D"),
            row(Api.CONSOLE, "ConfirmDeleteUser",           "D    D    D    D    A     A     D    D   D"),
            row(Api.CONSOLE, "DeleteUser",                  "D    D    D    D    A     A     D    D   D"),
            row(Api.CONSOLE, "PutUserPolicy",               "D    D    D    D    A     A     D    D   D"),
            row(Api.CONSOLE, "CreateAccessKey",             "D    D    D    D    A     A     D    D   D"),
            row(Api.CONSOLE, "UpdateAccessKey",             "D    D    D    D    A     A     D    D   D"),
            row(Api.CONSOLE, "ConfirmDeleteAccessKey",      "D    D    D    D    A     A     D    D   D"),
            row(Api.CONSOLE, "DeleteAccessKey",             "D    D    D    D    A     A     D    D   D"),
            row(Api.CONSOLE, "Gallery",                     "A    A    A    A    A     A     A    A   A"),
            row(Api.CONSOLE, "GalleryRepository",           "A    A    A    A    A     A     A    A   A"));

    private MatrixExpectations() {
    }

    private static Row row(Api api, String operation, String columns) {
        String[] cells = columns.trim().split("\\s+");
        MatrixPrincipal[] principals = MatrixPrincipal.values();
        if (cells.length != principals.length) {
            throw new IllegalArgumentException(api + " " + operation + ": " + cells.length + " cells, not "
                    + principals.length);
        }
        Map<MatrixPrincipal, Expect> expect = new EnumMap<>(MatrixPrincipal.class);
        for (int i = 0; i < cells.length; i++) {
            expect.put(principals[i], switch (cells[i]) {
                case "A" -> Expect.ALLOW;
                case "D" -> Expect.DENY;
                default -> throw new IllegalArgumentException(api + " " + operation + ": cell " + cells[i]);
            });
        }
        return new Row(api, operation, expect);
    }

    /** The operations a table lists for one API, to compare with what the server serves. */
    static List<String> operations(Api api) {
        return ROWS.stream().filter(r -> r.api() == api).map(Row::operation).toList();
    }

    static int cells() {
        return ROWS.size() * MatrixPrincipal.values().length;
    }

    static String header() {
        return String.join(" ", Arrays.stream(MatrixPrincipal.values()).map(p -> p.column).toList());
    }
}
