package io.wharf.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.audit.AuditQuery;
import io.wharf.core.audit.AuditRecord;
import io.wharf.core.audit.AuditRecord.UserIdentity;
import io.wharf.core.audit.EventIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract of {@link AuditIndex}; every backend runs it. */
public abstract class AuditIndexContract extends MetadataStoreFixture {
    private static final String ALICE = "arn:aws:iam::" + ACCOUNT + ":user/ci/alice";
    private static final String ROOT = "arn:aws:iam::" + ACCOUNT + ":root";

    protected static AuditRecord record(String id, long second, String eventName, String arn, String repository,
                                        boolean readOnly) {
        return new AuditRecord(id, at(second).plusMillis(7), "ecr.amazonaws.com", eventName, "us-east-1", ACCOUNT,
                UserIdentity.of(ACCOUNT, arn, "AKIA" + id.toUpperCase()), "10.0.0.7", "aws-cli/2", repository,
                Map.of("repositoryName", repository == null ? "" : repository, "maxResults", 5), null,
                null, null, "req-" + id, readOnly);
    }

    @Test
    void aRecordReadsBackWhole() {
        AuditRecord r = new AuditRecord("e1", at(1).plusMillis(42), "ecr.amazonaws.com", "PutImage", "us-east-1",
                ACCOUNT, UserIdentity.of(ACCOUNT, ALICE, "AKIAEXAMPLE"), "10.0.0.7", "aws-cli/2.15",
                "library/app", Map.of("repositoryName", "library/app", "imageTag", "v1"),
                Map.of("image", Map.of("imageId", Map.of("imageTag", "v1"))), "ImageTagAlreadyExistsException",
                "tag v1 exists", "req-1", false);
        store.audit().appendAudit(List.of(r));
        assertThat(store.audit().findAudit(AuditQuery.newest(10))).containsExactly(r);
        assertThat(r.identity().userName()).isEqualTo("alice");
        assertThat(r.identity().type()).isEqualTo("IAMUser");
    }

    @Test
    void newestFirstWithEveryFilter() {
        store.audit().appendAudit(List.of(
                record("a", 1, "CreateRepository", ROOT, "library/app", false),
                record("b", 2, "PutImage", ALICE, "library/app", false),
                record("c", 3, "BatchGetImage", ALICE, "library/other", true),
                record("d", 4, "DescribeRepositories", ROOT, null, true)));
        AuditIndex audit = store.audit();
        assertThat(ids(audit.findAudit(AuditQuery.newest(10)))).containsExactly("d", "c", "b", "a");
        assertThat(ids(audit.findAudit(new AuditQuery(null, at(2), at(4), null, null, null, null, null, null, null, 10))))
                .as("start inclusive, end exclusive").containsExactly("c", "b");
        assertThat(ids(audit.findAudit(new AuditQuery(null, null, null, "PutImage", null, null, null, null, null, null, 10))))
                .containsExactly("b");
        assertThat(ids(audit.findAudit(new AuditQuery(null, null, null, null, "alice", null, null, null, null, null, 10))))
                .as("by user name").containsExactly("c", "b");
        assertThat(ids(audit.findAudit(new AuditQuery(null, null, null, null, ALICE, null, null, null, null, null, 10))))
                .as("by ARN").containsExactly("c", "b");
        assertThat(ids(audit.findAudit(new AuditQuery(null, null, null, null, ACCOUNT, null, null, null, null, null, 10))))
                .as("the root by account id").containsExactly("d", "a");
        assertThat(ids(audit.findAudit(new AuditQuery(null, null, null, null, null, "library/app", null, null, null, null, 10))))
                .containsExactly("b", "a");
        assertThat(ids(audit.findAudit(new AuditQuery(null, null, null, null, null, null, "AKIAC", null, null, null, 10))))
                .containsExactly("c");
        assertThat(ids(audit.findAudit(new AuditQuery(null, null, null, null, null, null, null, true, null, null, 10))))
                .containsExactly("d", "c");
        assertThat(ids(audit.findAudit(new AuditQuery(null, null, null, null, null, null, null, null, "b", null, 10))))
                .containsExactly("b");
        assertThat(audit.findAudit(new AuditQuery(OTHER_ACCOUNT, null, null, null, null, null, null, null, null, null, 10)))
                .as("another account's").isEmpty();
        assertThat(audit.findAudit(new AuditQuery(ACCOUNT, null, null, null, null, null, null, null, null, null, 10)))
                .hasSize(4);
    }

    @Test
    void pagesFollowTheCursorAcrossEqualTimes() {
        List<AuditRecord> batch = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            batch.add(record("id" + (char) ('a' + i), i / 5, "PutImage", ALICE, "library/app", false));
        }
        store.audit().appendAudit(batch);
        List<String> seen = new ArrayList<>();
        AuditQuery q = AuditQuery.newest(7);
        for (List<AuditRecord> page = store.audit().findAudit(q); !page.isEmpty();
             page = store.audit().findAudit(q = q.withAfter(AuditQuery.Cursor.of(page.getLast())))) {
            seen.addAll(ids(page));
        }
        assertThat(seen).hasSize(25).doesNotHaveDuplicates();
        assertThat(seen).isEqualTo(ids(store.audit().findAudit(AuditQuery.newest(100))));
    }

    @Test
    void recordsOfOneMillisecondComeBackInTheOrderTheyWereMade() {
        List<AuditRecord> made = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            made.add(record(EventIds.next(at(3).plusMillis(7)), 3, "PutImage", ALICE, "library/app", false));
        }
        for (AuditRecord r : made) {
            store.audit().appendAudit(List.of(r)); // one call each, as calls of one millisecond arrive
        }
        assertThat(ids(store.audit().findAudit(AuditQuery.newest(100))))
                .containsExactlyElementsOf(ids(made.reversed()));
    }

    @Test
    void appendingAnIdAgainKeepsOneRecord() {
        store.audit().appendAudit(List.of(record("a", 1, "PutImage", ALICE, "library/app", false)));
        store.audit().appendAudit(List.of(record("a", 1, "PutImage", ALICE, "library/app", false),
                record("b", 2, "PutImage", ALICE, "library/app", false)));
        assertThat(ids(store.audit().findAudit(AuditQuery.newest(10)))).containsExactly("b", "a");
    }

    @Test
    void retentionDeletesTheOldestUpToTheLimit() {
        List<AuditRecord> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(record("r" + i, i, "PutImage", ALICE, "library/app", false));
        }
        store.audit().appendAudit(batch);
        assertThat(store.audit().deleteAuditBefore(at(6), 4)).isEqualTo(4);
        assertThat(store.audit().deleteAuditBefore(at(6), 4)).isEqualTo(2);
        assertThat(store.audit().deleteAuditBefore(at(6), 4)).isZero();
        assertThat(ids(store.audit().findAudit(AuditQuery.newest(100)))).containsExactly("r9", "r8", "r7", "r6");
    }

    private static List<String> ids(List<AuditRecord> records) {
        return records.stream().map(AuditRecord::eventId).toList();
    }
}
