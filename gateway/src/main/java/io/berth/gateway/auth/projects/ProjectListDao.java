package io.berth.gateway.auth.projects;

import io.berth.store.meta.ProjectDao;
import io.berth.store.meta.ProjectRow;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.Collection;
import java.util.List;

/** Projects as a caller sees them: public ones, those they are a member of, those named; or all. */
@RegisterConstructorMapper(ProjectRow.class)
interface ProjectListDao {
    String VISIBLE = " FROM project p WHERE :all OR p.public"
            + " OR p.id IN (SELECT m.project_id FROM project_member m JOIN account a ON a.id = m.account_id"
            + " WHERE a.username = :member)"
            + " OR p.name IN (<named>)";

    @SqlQuery("SELECT " + ProjectDao.ROW + VISIBLE + " ORDER BY p.name LIMIT :limit OFFSET :offset")
    List<ProjectRow> list(@Bind("all") boolean all, @Bind("member") String member,
                          @BindList(value = "named", onEmpty = BindList.EmptyHandling.NULL_STRING) Collection<String> named,
                          @Bind("limit") int limit, @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*)" + VISIBLE)
    long count(@Bind("all") boolean all, @Bind("member") String member,
               @BindList(value = "named", onEmpty = BindList.EmptyHandling.NULL_STRING) Collection<String> named);

    /** What system robots were given in a project of this name: it goes with the project. */
    @SqlUpdate("DELETE FROM robot_permission WHERE project = :name")
    int forgetRobotPermissions(@Bind("name") String name);
}
