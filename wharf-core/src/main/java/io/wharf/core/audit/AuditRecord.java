package io.wharf.core.audit;

import io.wharf.core.iam.Principal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;

/**
 * One audited call, with the fields of a CloudTrail record ({@link AuditJson} writes it in that shape). Besides those,
 * {@code account} (CloudTrail's {@code recipientAccountId}) and {@code repository} are kept apart so that the
 * store can index them.
 *
 * @param eventId           unique id ({@link EventIds}: a UUID that sorts in creation order within a millisecond)
 * @param eventSource       {@code ecr.amazonaws.com}, {@code sts.amazonaws.com}, {@code secretsmanager.amazonaws.com},
 *                          {@code cloudtrail.amazonaws.com} or {@code wharf}
 * @param eventName         the IAM action without its prefix ({@code PutImage}, {@code BatchGetImage}), else the operation
 * @param account           the account whose resources the call addressed (the caller's when none)
 * @param identity          who called; its type is {@code Unknown} when the caller was not authenticated
 * @param repository        the repository addressed, or null
 * @param requestParameters the call's parameters, secrets left out; null when none were collected
 * @param responseElements  what a changing call returned worth keeping; null when nothing
 * @param errorCode         the protocol's error code of a failed call, else null
 * @param requestId         the response's request id ({@code x-amzn-RequestId}), or null when the protocol has none
 * @param readOnly          a read (a pull, a Describe/List/Get call)
 */
public record AuditRecord(String eventId, Instant eventTime, String eventSource, String eventName, String region,
                          String account, UserIdentity identity, String sourceIp, String userAgent, String repository,
                          Map<String, Object> requestParameters, Map<String, Object> responseElements,
                          String errorCode, String errorMessage, String requestId, boolean readOnly) {

    public AuditRecord {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventTime, "eventTime");
        Objects.requireNonNull(eventSource, "eventSource");
        Objects.requireNonNull(eventName, "eventName");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(identity, "identity");
        eventTime = eventTime.truncatedTo(ChronoUnit.MILLIS); // as stored
    }

    /**
     * CloudTrail's {@code userIdentity}. {@code type} is {@code Root}, {@code IAMUser}, {@code Anonymous} (a pull of
     * a public repository without credentials; userName {@code anonymous}) or {@code Unknown}; the other
     * fields may be null (an unauthenticated caller has at most an access key id).
     */
    public record UserIdentity(String type, String principalId, String arn, String accountId, String accessKeyId,
                               String userName) {
        public UserIdentity {
            Objects.requireNonNull(type, "type");
        }

        /** The caller of a request refused before it was authenticated. */
        public static UserIdentity unknown(String accessKeyId) {
            return new UserIdentity("Unknown", null, null, null, accessKeyId, null);
        }

        /** From an IAM ARN ({@code arn:aws:iam::<account>:root} or {@code …:user/<path/><name>}). */
        public static UserIdentity of(String account, String arn, String accessKeyId) {
            if (Principal.ANONYMOUS_ARN.equals(arn)) {
                return new UserIdentity("Anonymous", null, null, account, accessKeyId, Principal.ANONYMOUS_ARN);
            }
            int user = arn.indexOf(":user/");
            if (user < 0) {
                return new UserIdentity("Root", account, arn, account, accessKeyId, null);
            }
            String name = arn.substring(arn.lastIndexOf('/') + 1);
            return new UserIdentity("IAMUser", arn.substring(user + 1), arn, account, accessKeyId, name);
        }
    }
}
