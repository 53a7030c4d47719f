import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';
import { DomainError } from '../common/errors/domain-error.js';

// OWASP Password Storage Cheat Sheet: Argon2id with m=19 MiB, t=2, p=1.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class PasswordsService {
  private dummy: Promise<string> | null = null;

  hash(password: string): Promise<string> {
    return argon2.hash(password, OPTIONS);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    return argon2.verify(hash, password).catch(() => false);
  }

  /** Spends the same time as a real check, for logins naming no account. */
  async verifyNothing(password: string): Promise<false> {
    this.dummy ??= this.hash('not-a-real-password-0000');
    await this.verify(await this.dummy, password);
    return false;
  }

  /** Rules beyond length: not the username or e-mail. */
  check(password: string, username: string, email: string, field = 'password'): void {
    const lower = password.toLowerCase();
    if (lower === username.toLowerCase() || lower === email.trim().toLowerCase()) {
      throw DomainError.validation(field, 'too_guessable', 'Password must not be your username or e-mail');
    }
    if (new Set(password).size < 4) {
      throw DomainError.validation(field, 'too_guessable', 'Password is too easy to guess');
    }
  }
}
