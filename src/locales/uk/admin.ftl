admin-role-moderator = модератор
admin-role-admin = адміністратор
admin-staff-title = Команда ({ $count }):
admin-staff-line = { $id } · { $name } · { $role } з { $since }{ $seeded ->
    [yes] {" "}(з ADMIN_IDS)
   *[no] {""}
}
admin-staff-usage = /staff — список; /staff add USER_ID moderator|admin — додати; /staff remove USER_ID — вилучити
admin-staff-added = { $id } тепер { $role }.
admin-staff-role-changed = { $id } тепер { $role }.
admin-staff-unchanged = { $id } вже { $role }.
admin-staff-removed = { $id } більше не в команді.
admin-staff-not-staff = { $id } не в команді.
admin-staff-not-yourself = Себе вилучити не можна.
admin-staff-configured = { $id } — адміністратор із налаштування ADMIN_IDS: вилучіть його там і перезапустіть бота.
admin-help =
    Команди адміністратора:
    /staff — список; /staff add USER_ID moderator|admin — додати; /staff remove USER_ID — вилучити
    /export ФОРМАТ [фільтри] — справи для слідчих; /export без слів пояснює формати й фільтри
