import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { MEDIA_KINDS, type GalleryQuery, type MediaKind } from '@app/contracts';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';

export class GalleryQueryDto extends PageQueryDto implements GalleryQuery {
  @ApiPropertyOptional({ enum: MEDIA_KINDS, description: 'Only photos or only videos' })
  @IsOptional() @IsIn(MEDIA_KINDS)
  kind?: MediaKind;
}

/** The multipart body of every upload route: one file in the field "file". */
export const UPLOAD_BODY = {
  schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
};
