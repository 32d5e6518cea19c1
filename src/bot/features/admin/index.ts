import { Composer } from "grammy";
import { grantRole, listActiveStaff, removeStaff } from "../../../db/staff.js";
import { staffRoles, type StaffRole } from "../../../db/types.js";
import type { BotContext } from "../../context.js";
import { authorize } from "../moderation/authorize.js";
import { formatTime } from "../moderation/card.js";

const USER_ID = /^\d{1,15}$/;

/**
 * `/staff` for admins: list, `add USER_ID moderator|admin`, `remove USER_ID`. Every change is one transaction
 * with its audit event. Anyone else gets the unknown-command reply, as for any staff command.
 */
export function adminFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("staff", async (ctx, next) => {
    const admin = await authorize(ctx, "admin");
    if (!admin) return next();
    const [sub = "", id = "", role = ""] = (typeof ctx.match === "string" ? ctx.match : "").trim().split(/\s+/);
    const { db, config } = ctx.app;

    if (sub === "") {
      const staff = await listActiveStaff(db);
      const lines = staff.map((s) =>
        ctx.t("admin-staff-line", {
          id: String(s.user_id),
          name: s.display_name ?? "—",
          role: ctx.t(`admin-role-${s.role}`),
          since: formatTime(s.added_at, ctx.locale),
          seeded: config.adminIds.includes(s.user_id) ? "yes" : "no",
        }),
      );
      await ctx.reply([ctx.t("admin-staff-title", { count: staff.length }), ...lines, "", ctx.t("admin-staff-usage")].join("\n"));
      return;
    }

    if (!USER_ID.test(id) || Number(id) <= 0) {
      await ctx.reply(ctx.t("admin-staff-usage"));
      return;
    }
    const userId = Number(id);

    if (sub === "add") {
      if (!(staffRoles as readonly string[]).includes(role)) {
        await ctx.reply(ctx.t("admin-staff-usage"));
        return;
      }
      const change = await grantRole(db, { kind: "staff", userId: admin.user_id }, userId, role as StaffRole);
      ctx.app.logger.info({ change: change ? "granted" : "unchanged", role }, "staff changed");
      await ctx.reply(
        change
          ? ctx.t(change.previousRole ? "admin-staff-role-changed" : "admin-staff-added", { id: String(userId), role: ctx.t(`admin-role-${role}`) })
          : ctx.t("admin-staff-unchanged", { id: String(userId), role: ctx.t(`admin-role-${role}`) }),
      );
      return;
    }

    if (sub === "remove") {
      if (userId === admin.user_id) {
        await ctx.reply(ctx.t("admin-staff-not-yourself"));
        return;
      }
      // ADMIN_IDS would make them admin again at the next start: the setting is where they are removed.
      if (config.adminIds.includes(userId)) {
        await ctx.reply(ctx.t("admin-staff-configured", { id: String(userId) }));
        return;
      }
      const role = await removeStaff(db, admin.user_id, userId);
      ctx.app.logger.info({ change: role ? "revoked" : "unchanged" }, "staff changed");
      await ctx.reply(role ? ctx.t("admin-staff-removed", { id: String(userId) }) : ctx.t("admin-staff-not-staff", { id: String(userId) }));
      return;
    }
    await ctx.reply(ctx.t("admin-staff-usage"));
  });
  return composer;
}
