package io.wharf.server.ecr;

import io.wharf.core.model.RepositoryName;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A repository ARN, {@code arn:<partition>:ecr:<region>:<account>:repository/<name>}, parsed at the edge. */
record EcrArn(String account, RepositoryName name) {
    private static final Pattern ARN = Pattern.compile("arn:aws(?:-[a-z]+)*:ecr:[a-z0-9-]+:([0-9]{12}):repository/(.+)");

    static EcrArn parse(String text) {
        Matcher m = ARN.matcher(text);
        if (!m.matches()) {
            throw EcrProblem.invalid("Invalid parameter at 'resourceArn' failed to satisfy constraint: "
                    + "'must be a repository ARN'");
        }
        return new EcrArn(m.group(1), Check.repositoryName("resourceArn", m.group(2)));
    }
}
