import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { MEDIA_KINDS, type GalleryQuery, type MediaKind } from '@app/contracts';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';

export class GalleryQueryDto extends PageQueryDto implements GalleryQuery {
  @ApiPropertyOptional({ enum: MEDIA_KINDS, description: 'Only photos, only videos or only files' })
  @IsOptional() @IsIn(MEDIA_KINDS)
  kind?: MediaKind;
}

export class UploadQueryDto {
  @ApiPropertyOptional({ enum: ['file'], description: '"file": keep it as a document (any type, only downloaded) instead of decoding a photo or video' })
  @IsOptional() @IsIn(['file'])
  as?: 'file';
}

/** The multipart body of every upload route: one file in the field "file". */
export const UPLOAD_BODY = {
  schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
};
