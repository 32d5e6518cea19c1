import type { MiddlewareFn } from "grammy";
import type { AppServices, BotContext, ConversationContext } from "../context.js";

export function provideServices(services: AppServices): MiddlewareFn<BotContext | ConversationContext> {
  return (ctx, next) => {
    ctx.app = services;
    ctx.pseudonym = ctx.from ? services.pseudonymize(ctx.from.id) : undefined;
    ctx.locale = services.config.defaultLocale;
    return next();
  };
}
