import {
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  registerDecorator,
  ValidationArguments,
} from 'class-validator';
import { ImportMapping, mappingProblems } from './mapping/import-mapping';

/** class-validator: the value is a usable import mapping (the first problem is the message). */
function IsImportMapping(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isImportMapping',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => mappingProblems(value).length === 0,
        defaultMessage: (args: ValidationArguments) => mappingProblems(args.value)[0] ?? 'is not a mapping',
      },
    });
}

/** Configuration of one file-import instance (the plugin README documents it and the mapping). */
export class FileImportConfig {
  /** Folder CSV / NDJSON / JSON files are dropped into (absolute); files move to `processed/` once taken. */
  @IsOptional()
  @IsString()
  @Matches(/^\//, { message: 'dropFolder must be an absolute path' })
  @MaxLength(500)
  dropFolder?: string;

  /** Columns → contract fields: which records each row makes and how cells convert (README "Mapping"). */
  @IsObject()
  @IsImportMapping()
  mapping: ImportMapping;
}
