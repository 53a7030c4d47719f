import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** The one link a person needs from this mail; logged when mail is kept on disk. */
  link?: string;
}

/** SMTP when SMTP_URL is set; otherwise each mail is written to <dataDir>/mail as JSON. */
@Injectable()
export class MailService {
  private readonly logger = new Logger(MailService.name);
  private readonly transport: Transporter | null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.transport = config.mail.smtpUrl ? nodemailer.createTransport(config.mail.smtpUrl) : null;
  }

  async send(mail: Mail): Promise<void> {
    if (this.transport) {
      await this.transport.sendMail({ from: this.config.mail.from, to: mail.to, subject: mail.subject, text: mail.text });
      return;
    }
    await mkdir(this.config.mail.dir, { recursive: true });
    const file = join(this.config.mail.dir, `${Date.now()}-${randomUUID()}.json`);
    await writeFile(file, JSON.stringify({ from: this.config.mail.from, ...mail, sentAt: new Date().toISOString() }, null, 2));
    this.logger.log(`mail to ${mail.to} kept in ${file}${mail.link ? `; link: ${mail.link}` : ''}`);
  }
}
