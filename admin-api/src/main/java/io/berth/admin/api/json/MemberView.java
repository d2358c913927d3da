package io.berth.admin.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.berth.gateway.auth.members.Member;

/** A project member as the API shows it: a user's name or a group's, and the role by its wire name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MemberView(long id, String username, String group, String role) {
    public static MemberView of(Member member) {
        return new MemberView(member.id(), member.username(), member.group(), member.role().wireName());
    }
}
