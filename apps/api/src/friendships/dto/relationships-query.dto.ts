import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsUUID } from 'class-validator';
import { LIMITS } from '@app/contracts';

/** `?ids=a,b,c` (or repeated `ids=`) → a list of strings, validated as uuids. */
function splitIds({ value }: { value: unknown }): unknown {
  const parts = Array.isArray(value) ? value : [value];
  if (!parts.every((p) => typeof p === 'string')) return value;
  return (parts as string[]).flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean);
}

export class RelationshipsQueryDto {
  @ApiProperty({ type: String, description: `Comma-separated user ids, at most ${LIMITS.pageSizeMax}`, example: 'id1,id2' })
  @Transform(splitIds)
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(LIMITS.pageSizeMax) @IsUUID('all', { each: true })
  ids: string[];
}
