import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

export interface AuthUser {
  userId: string;
  sessionId: string;
}

export interface AuthedRequest {
  auth?: AuthUser;
}

/** The caller of an authenticated route. */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser => {
  const req = ctx.switchToHttp().getRequest<AuthedRequest>();
  if (!req.auth) throw new Error('CurrentUser used on a public route');
  return req.auth;
});
