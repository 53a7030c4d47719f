import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { MEDIA_KINDS, type GalleryQuery, type MediaKind } from '@app/contracts';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';

export class GalleryQueryDto extends PageQueryDto implements GalleryQuery {
  @ApiPropertyOptional({ enum: MEDIA_KINDS, description: 'Only photos, videos, voice messages or files (without: photos and videos)' })
  @IsOptional() @IsIn(MEDIA_KINDS)
  kind?: MediaKind;
}

export class UploadQueryDto {
  @ApiPropertyOptional({
    enum: ['file', 'voice'],
    description: '"file": keep it as a document (any type, only downloaded); "voice": a sound recording, stored as Opus in Ogg with its waveform; without: a photo or video',
  })
  @IsOptional() @IsIn(['file', 'voice'])
  as?: 'file' | 'voice';
}

/** The multipart body of every upload route: one file in the field "file". */
export const UPLOAD_BODY = {
  schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
};
