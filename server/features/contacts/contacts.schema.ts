/** Request shapes of the contact lifecycle and security API. */
import { Type } from 'typebox';

export const TokenString = Type.String({ minLength: 1, maxLength: 200 });
export const Password = Type.String({ minLength: 1, maxLength: 1024 });
export const Code = Type.String({
  minLength: 6,
  maxLength: 20,
  description: 'A 6-digit TOTP code or a recovery code',
});

export const ForgotBody = Type.Object({ email: Type.String({ minLength: 1, maxLength: 254 }) });
export const SetPasswordBody = Type.Object({ token: TokenString, password: Password });
export const MfaBody = Type.Object({ mfa_token: TokenString, code: Code });
export const ImpersonateBody = Type.Object({ token: TokenString });

export const ProfilePatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    phone: Type.Optional(Type.String({ maxLength: 40 })),
    time_zone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export const PasswordChange = Type.Object({ current_password: Password, new_password: Password });
export const CodeBody = Type.Object({ code: Code });
export const PasswordAndCode = Type.Object({ password: Password, code: Code });

export const SessionParams = Type.Object({ sessionId: Type.String({ format: 'uuid' }) });
export const SessionsQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

export const ContactParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  contactId: Type.String({ format: 'uuid' }),
});
export const IpAllowBody = Type.Object({
  cidrs: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 }),
});
