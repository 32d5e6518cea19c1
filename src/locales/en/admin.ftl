admin-role-moderator = moderator
admin-role-admin = admin
admin-staff-title = Staff ({ $count }):
admin-staff-line = { $id } · { $name } · { $role } since { $since }{ $seeded ->
    [yes] {" "}(from ADMIN_IDS)
   *[no] {""}
}
admin-staff-usage = /staff — list; /staff add USER_ID moderator|admin; /staff remove USER_ID
admin-staff-added = { $id } is now { $role }.
admin-staff-role-changed = { $id } is now { $role }.
admin-staff-unchanged = { $id } already is { $role }.
admin-staff-removed = { $id } is no longer staff.
admin-staff-not-staff = { $id } is not staff.
admin-staff-not-yourself = You cannot remove yourself.
admin-staff-configured = { $id } is an admin from the ADMIN_IDS setting: remove them there, then restart.
admin-help =
    Admin commands:
    /staff — list; /staff add USER_ID moderator|admin; /staff remove USER_ID
    /export FORMAT [filters] — cases for investigators; /export alone explains the formats and filters
