import { findActiveStaff, rememberDisplayName } from "../../../db/staff.js";
import type { Staff, StaffRole } from "../../../db/types.js";
import type { BotContext } from "../../context.js";

const rank: Record<StaffRole, number> = { moderator: 1, admin: 2 };

/**
 * The one gate of every staff command and button. It checks the person (never the chat: anyone can be in a
 * group) against the staff table on every call, so a removal takes effect at once, and only where staff work:
 * a private chat with the bot or the moderators' group. Undefined means "not allowed": the caller then passes
 * the update on, and the person gets exactly what they would get for something that does not exist.
 */
export async function authorize(ctx: BotContext, role: StaffRole): Promise<Staff | undefined> {
  const user = ctx.from;
  const chat = ctx.chat;
  if (!user || user.is_bot || !chat) return undefined;
  const inPlace = chat.type === "private" || chat.id === ctx.app.config.moderationChatId;
  if (!inPlace) return undefined;
  const staff = await findActiveStaff(ctx.app.db, user.id);
  if (!staff || rank[staff.role] < rank[role]) return undefined;
  const name = [user.first_name, user.last_name].filter(Boolean).join(" ").slice(0, 100);
  if (name && name !== staff.display_name) {
    await rememberDisplayName(ctx.app.db, user.id, name);
    staff.display_name = name;
  }
  return staff;
}
