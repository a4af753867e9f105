package io.wharf.server.authz;

/** The identity policies of the matrix's principals. */
final class MatrixPolicies {
    /** Pulling, as ECR's managed read-only policy grants it (and every Describe and List). */
    static final String PULL = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:BatchGetImage",
              "ecr:GetDownloadUrlForLayer","ecr:BatchCheckLayerAvailability","ecr:GetAuthorizationToken",
              "ecr:Describe*","ecr:List*"],"Resource":"*"}]}""";
    /** Pushing, with no pull: ECR's push actions (BatchCheckLayerAvailability is one: a client HEADs before it uploads). */
    static final String PUSH = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken",
              "ecr:BatchCheckLayerAvailability","ecr:InitiateLayerUpload","ecr:UploadLayerPart",
              "ecr:CompleteLayerUpload","ecr:PutImage"],"Resource":"*"}]}""";
    static final String ADMIN = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";
    static final String ECR_ALL = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}""";
    /** Pull always; push only in an MFA session (aws:MultiFactorAuthPresent), as docs/security.md's example. */
    static final String PUSH_NEEDS_MFA = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:BatchGetImage",
              "ecr:GetDownloadUrlForLayer","ecr:BatchCheckLayerAvailability","ecr:GetAuthorizationToken",
              "ecr:Describe*","ecr:List*"],"Resource":"*"},
             {"Effect":"Allow","Action":["ecr:InitiateLayerUpload","ecr:UploadLayerPart","ecr:CompleteLayerUpload",
              "ecr:PutImage"],"Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}""";

    private MatrixPolicies() {
    }

    /** A trust policy letting the account's principals that have sts:AssumeRole assume the role. */
    static String trustAccount(String account) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
                + account + ":root\"},\"Action\":\"sts:AssumeRole\"}]}";
    }
}
