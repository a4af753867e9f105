-- Resource tags of repositories (ECR TagResource): key/value pairs, not image tags.
CREATE TABLE repository_tag (
    repository_id BIGINT NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
    tag_key       TEXT COLLATE "C" NOT NULL,
    tag_value     TEXT NOT NULL,
    PRIMARY KEY (repository_id, tag_key)
);
