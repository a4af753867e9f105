package io.wharf.server.console;

import java.util.List;

/**
 * The account's IAM users and the form that creates one.
 *
 * @param newUser what the create form holds after a refused create; empty otherwise
 * @param error   why the create was refused (the identity rules' message); null: it was not
 */
public record UsersPage(Frame frame, List<Row> users, String newUser, String error, String notice) {

    public record Row(String name, String href, String arn, String created) {
    }
}
