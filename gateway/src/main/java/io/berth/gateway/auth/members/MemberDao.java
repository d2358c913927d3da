package io.berth.gateway.auth.members;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The project_member table, with the names of its users. */
@RegisterConstructorMapper(MemberDao.MemberRow.class)
interface MemberDao {
    String SELECT = "SELECT m.id, a.username, m.group_name, m.role FROM project_member m"
            + " LEFT JOIN account a ON a.id = m.account_id";

    @SqlQuery("SELECT id FROM account WHERE username = :username")
    Optional<Long> accountId(@Bind("username") String username);

    @SqlUpdate("INSERT INTO project_member (project_id, account_id, group_name, role, created_at)"
            + " VALUES (:projectId, :accountId, :group, :role, :now)")
    void insert(@Bind("projectId") long projectId, @Bind("accountId") Long accountId, @Bind("group") String group,
                @Bind("role") String role, @Bind("now") Instant now);

    @SqlQuery(SELECT + " WHERE m.project_id = :projectId ORDER BY a.username, m.group_name LIMIT :limit OFFSET :offset")
    List<MemberRow> list(@Bind("projectId") long projectId, @Bind("limit") int limit, @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*) FROM project_member WHERE project_id = :projectId")
    long count(@Bind("projectId") long projectId);

    @SqlQuery(SELECT + " WHERE m.project_id = :projectId AND a.username = :username")
    Optional<MemberRow> ofUser(@Bind("projectId") long projectId, @Bind("username") String username);

    @SqlQuery(SELECT + " WHERE m.project_id = :projectId AND m.group_name = :group")
    Optional<MemberRow> ofGroup(@Bind("projectId") long projectId, @Bind("group") String group);

    /**
     * The roles a user holds in a project, directly and through any of their groups; group names
     * compare without case (as a directory compares DNs and cn values), so {@code groups} come lower-case.
     */
    @SqlQuery("SELECT m.role FROM project_member m JOIN project p ON p.id = m.project_id"
            + " LEFT JOIN account a ON a.id = m.account_id"
            + " WHERE p.name = :project AND (a.username = :username OR LOWER(m.group_name) IN (<groups>))")
    List<String> roles(@Bind("project") String project, @Bind("username") String username,
                       @BindList(value = "groups", onEmpty = BindList.EmptyHandling.NULL_STRING) Collection<String> groups);

    /** The projects a user is a member of, directly or through any of their groups, with each role. */
    @SqlQuery("SELECT p.id AS project_id, p.name AS project, p.public AS is_public, m.role FROM project_member m"
            + " JOIN project p ON p.id = m.project_id LEFT JOIN account a ON a.id = m.account_id"
            + " WHERE a.username = :username OR m.group_name IN (<groups>)")
    @RegisterConstructorMapper(MembershipRow.class)
    List<MembershipRow> memberships(@Bind("username") String username,
                                    @BindList(value = "groups", onEmpty = BindList.EmptyHandling.NULL_STRING)
                                    Collection<String> groups);

    @SqlUpdate("UPDATE project_member SET role = :role WHERE id = :id")
    int setRole(@Bind("id") long id, @Bind("role") String role);

    @SqlUpdate("DELETE FROM project_member WHERE id = :id")
    int delete(@Bind("id") long id);

    /** A project a user belongs to, with the role of one of their memberships. */
    record MembershipRow(long projectId, String project, boolean isPublic, String role) {
    }

    /** A row as stored. */
    record MemberRow(long id, String username, String groupName, String role) {
    }
}
