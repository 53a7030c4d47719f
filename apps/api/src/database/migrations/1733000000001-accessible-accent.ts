import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The default accent becomes a blue that carries white text at 4.5:1 (WCAG AA); the former
 * default reached 3.7:1. Everyone on the former default (it is no longer offered) moves with it.
 */
export class AccessibleAccent1733000000001 implements MigrationInterface {
  name = 'AccessibleAccent1733000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ALTER COLUMN accent_color SET DEFAULT '#2563eb'`);
    await q.query(`UPDATE users SET accent_color = '#2563eb' WHERE accent_color = '#3b82f6'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ALTER COLUMN accent_color SET DEFAULT '#3b82f6'`);
  }
}
