import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PARTNER_ROLE, PERMISSION_NAMES, ROLE_NAMES } from '@tradelane/http';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

export class LogInDto {
  @ApiProperty({ example: 'admin@localhost' })
  @IsString()
  @MaxLength(320)
  email: string;

  @ApiProperty({ description: 'The password (five wrong ones in a row lock the account for a while)' })
  @IsString()
  @MaxLength(1024)
  password: string;

  @ApiPropertyOptional({ default: 'default' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  tenant?: string;

  @ApiPropertyOptional({
    default: false,
    description: 'A browser: the session as an httpOnly cookie (with a CSRF cookie)',
  })
  @IsOptional()
  @IsBoolean()
  cookie?: boolean;
}

export class CreateUserDto {
  @ApiProperty({ example: 'ops@example.com' })
  @IsEmail({ require_tld: false })
  @MaxLength(320)
  email: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiProperty({ minLength: 12, description: 'At least 12 characters; stored as an Argon2id hash only' })
  @IsString()
  @MinLength(12)
  @MaxLength(1024)
  password: string;

  @ApiPropertyOptional({
    enum: [...ROLE_NAMES, PARTNER_ROLE],
    isArray: true,
    description:
      'Staff roles (GET /auth/me lists what they allow); a partner user gets the partner role and no other',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsIn([...ROLE_NAMES, PARTNER_ROLE], { each: true })
  roles?: string[];

  @ApiPropertyOptional({
    format: 'uuid',
    description: "A partner organisation's user (roles: partner only): reaches the partner API only",
  })
  @IsOptional()
  @IsUUID()
  partnerId?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({
    enum: ROLE_NAMES,
    isArray: true,
    description: 'The new roles (replacing the old ones)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsIn(ROLE_NAMES, { each: true })
  roles?: string[];

  @ApiPropertyOptional({
    enum: ['active', 'disabled'],
    description: 'disabled: no log-in, sessions ended at once',
  })
  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: 'active' | 'disabled';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ minLength: 12, description: 'A new password (ends the sessions of the user)' })
  @IsOptional()
  @IsString()
  @MinLength(12)
  @MaxLength(1024)
  password?: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'nightly ERP export' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({
    enum: PERMISSION_NAMES,
    isArray: true,
    example: ['orders:read'],
    description: 'What the key may do: permissions the maker holds',
  })
  @IsArray()
  @ArrayMaxSize(PERMISSION_NAMES.length)
  @IsIn(PERMISSION_NAMES, { each: true })
  scopes: string[];

  @ApiPropertyOptional({
    default: 90,
    minimum: 1,
    maximum: 366,
    description: 'Days until the key stops working',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(366)
  expiresInDays?: number;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "A partner organisation's key: partner scopes only, reaches the partner API only",
  })
  @IsOptional()
  @IsUUID()
  partnerId?: string;
}

export class UserPageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

export class PasswordResetDto {
  @ApiProperty({ description: 'The one-time token (tl_rst_...) an administrator handed over' })
  @IsString()
  @MaxLength(200)
  token: string;

  @ApiProperty({ minLength: 12, description: 'The new password (at least 12 characters)' })
  @IsString()
  @MinLength(12)
  @MaxLength(1024)
  password: string;
}

export class PasswordResetRequestDto {
  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: 72, description: 'Hours the token is valid' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(72)
  hours?: number;
}

// ---- Answers (typed in the OpenAPI document: the web console's client is generated from it) ----

export class UserViewDto {
  @ApiProperty({ description: 'User id' }) id: string;
  @ApiProperty({ description: 'Tenant' }) tenant: string;
  @ApiProperty({ description: 'E-mail (the log-in name)' }) email: string;
  @ApiProperty({ description: 'Display name' }) name: string;
  @ApiProperty({ type: [String], description: 'Roles' }) roles: string[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Partner organisation (partner users)' })
  partnerId: string | null;
  @ApiProperty({ enum: ['active', 'disabled'], description: 'Account status' }) status: string;
  @ApiPropertyOptional({ nullable: true, type: Date, description: 'Locked after failed log-ins until' })
  lockedUntil: Date | null;
  @ApiPropertyOptional({ nullable: true, type: Date, description: 'Last log-in' }) lastLoginAt: Date | null;
  @ApiProperty({ description: 'Created' }) createdAt: Date;
}

export class UserPageDto {
  @ApiProperty({ type: [UserViewDto], description: 'The page of users, by e-mail' }) items: UserViewDto[];
  @ApiProperty({ description: 'Users in all' }) total: number;
  @ApiProperty({ description: 'Page size' }) limit: number;
  @ApiProperty({ description: 'Skipped' }) offset: number;
}

export class PasswordResetTokenDto {
  @ApiProperty({ description: 'The one-time token (tl_rst_...): shown this once' }) token: string;
  @ApiProperty({ description: 'When it stops working' }) expiresAt: Date;
  @ApiProperty({ description: 'The user it is for' }) userId: string;
}

export class ApiKeyDto {
  @ApiProperty({ description: 'Key id' }) id: string;
  @ApiProperty({ enum: ['api-key'], description: 'Kind of credential' }) kind: string;
  @ApiProperty({ description: 'What it is for' }) name: string;
  @ApiProperty({ description: 'The first characters of the key (to recognise it; never the key)' })
  prefix: string;
  @ApiProperty({ type: [String], description: 'Permissions it carries' }) scopes: string[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Partner organisation (a partner key)' })
  partnerId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The user who made it' })
  userId: string | null;
  @ApiPropertyOptional({ nullable: true, type: Date, description: 'When it expires (null: never)' })
  expiresAt: Date | null;
  @ApiPropertyOptional({ nullable: true, type: Date, description: 'When it was revoked' })
  revokedAt: Date | null;
  @ApiPropertyOptional({ nullable: true, type: Date, description: 'Last used' }) lastUsedAt: Date | null;
  @ApiProperty({ description: 'Created' }) createdAt: Date;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The key (tl_key_...): in this answer only, stored as a hash' }) token: string;
}

export class SessionDto {
  @ApiPropertyOptional({
    description: 'Bearer token (absent with cookie: true: it is in the httpOnly cookie)',
  })
  token?: string;
  @ApiProperty({ description: 'When the session ends' }) expiresAt: Date;
  @ApiProperty({ type: UserViewDto, description: 'Who logged in' }) user: UserViewDto;
  @ApiPropertyOptional({ description: 'With cookie: true: send it as X-CSRF-Token on every change' })
  csrfToken?: string;
}

export class MeDto {
  @ApiProperty({ enum: ['user', 'api-key', 'client', 'local'], description: 'What the credentials are' })
  kind: string;
  @ApiProperty({ description: 'User, API key or client id (`local` for the local administrator)' })
  id: string;
  @ApiProperty({ description: 'Tenant' }) tenant: string;
  @ApiProperty({ description: 'E-mail of a user, name of a key or client' }) name: string;
  @ApiProperty({ type: [String], description: 'Roles (users)' }) roles: string[];
  @ApiProperty({ type: [String], description: 'Permissions, sorted' }) permissions: string[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Partner organisation (null: staff)' })
  partnerId: string | null;
}
