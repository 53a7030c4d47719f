import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MulterModule } from '@nestjs/platform-express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { UserEntity } from './entities/user.entity.js';
import { MeController } from './users.controller.js';
import { ProfileMediaController } from './profile-media.controller.js';
import { ProfileImagesService } from './profile-images.service.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([UserEntity]),
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ limits: { fileSize: config.media.imageMaxBytes, files: 1, fields: 4 } }),
    }),
  ],
  controllers: [MeController, ProfileMediaController],
  providers: [UsersService, ProfileImagesService],
  exports: [UsersService],
})
export class UsersModule {}
