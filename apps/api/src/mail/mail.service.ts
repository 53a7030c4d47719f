import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** The one link a person needs from this mail; logged when mail is kept on disk. */
  link?: string;
}

/**
 * SMTP when SMTP_URL is set; otherwise each mail is written to <dataDir>/mail as JSON. The link a
 * kept mail carries (a recovery token) is logged only outside production: there, the boot log says
 * once where mail is kept instead.
 */
@Injectable()
export class MailService implements OnApplicationBootstrap {
  private readonly logger = new Logger(MailService.name);
  private readonly transport: Transporter | null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.transport = config.mail.smtpUrl ? nodemailer.createTransport(config.mail.smtpUrl) : null;
  }

  onApplicationBootstrap(): void {
    if (this.transport) return;
    const links = this.config.env === 'production' ? 'links are not logged' : 'links are logged';
    this.logger.warn(`SMTP_URL is not set: mail is kept on disk in ${this.config.mail.dir} (${links})`);
  }

  async send(mail: Mail): Promise<void> {
    if (this.transport) {
      await this.transport.sendMail({ from: this.config.mail.from, to: mail.to, subject: mail.subject, text: mail.text });
      return;
    }
    await mkdir(this.config.mail.dir, { recursive: true });
    const file = join(this.config.mail.dir, `${Date.now()}-${randomUUID()}.json`);
    await writeFile(file, JSON.stringify({ from: this.config.mail.from, ...mail, sentAt: new Date().toISOString() }, null, 2));
    const link = mail.link && this.config.env !== 'production' ? `; link: ${mail.link}` : '';
    this.logger.log(`mail to ${mail.to} kept in ${file}${link}`);
  }
}
